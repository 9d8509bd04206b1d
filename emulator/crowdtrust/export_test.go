package crowdtrust

import "net/http"

// Vector is one of the published signature test vectors, with literal
// expected values computed outside this code.
type Vector struct {
	Name, Method, URL, Path, Body, MD5, ContentType, Date, STS, Raw, B64 string
	Key                                                                  KeyPair
}

// Vector credentials and bodies.
var (
	LiveKeys = KeyPair{APIKey: "a1b2c3d4e5f6", SecretKey: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	TestKeys = KeyPair{APIKey: "0123456789ab", SecretKey: "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="}
	CheckV2  = `{"firstName":"Jack","lastName":"Smith","ssn":"222-65-9696","dateOfBirth":"2014-07-10","regulationType":"D","platformName":"Regulation D Platform"}`
	BillV6   = `{"number":"4242424242424242","exp_month":6,"exp_year":2017,"cvc":"667","name":"John Wayne","address_line1":"1 Galaxy Way","address_line2":"Apt 10c","address_city":"brumburg","address_zip":"20850","address_state":"MD","address_country":"US"}`
)

// Vectors are V1–V8.
var Vectors = []Vector{
	{Name: "V1 GET LIVE", Method: "GET", URL: "/bacapi/checks/1253", Path: "/bacapi/checks/1253", Date: "Sun, 06 Nov 1994 08:49:37 GMT",
		STS: "GET\n\n\nSun, 06 Nov 1994 08:49:37 GMT\n/bacapi/checks/1253", Key: LiveKeys,
		Raw: "js2bsBiAja+YHKHSC8Iw8Go/LegkBZGhI0Qh+T0eSsU=", B64: "RBcwPzfx0SsKgc1cXokQGsBCkzqx5GbtvFszn+UVfeQ="},
	{Name: "V2 POST LIVE check", Method: "POST", URL: "/bacapi/checks", Path: "/bacapi/checks", Body: CheckV2, MD5: "YpqLoEU3BGysMWXckHs2pQ==",
		ContentType: "application/json", Date: "Tue, 18 Nov 2014 22:54:03 GMT",
		STS: "POST\nYpqLoEU3BGysMWXckHs2pQ==\napplication/json\nTue, 18 Nov 2014 22:54:03 GMT\n/bacapi/checks", Key: LiveKeys,
		Raw: "jswbfTIH0//e6eRSUJ9dbtVm3dD8WvplU6CBap0AV2U=", B64: "csGgFUvD5pALIuwbK8O8mAd4Rp9y7PcBJLun8dgcMuc="},
	{Name: "V3 POST TEST check", Method: "POST", URL: "/bacapi/test/checks", Path: "/bacapi/test/checks", Body: CheckV2, MD5: "YpqLoEU3BGysMWXckHs2pQ==",
		ContentType: "application/json", Date: "Tue, 18 Nov 2014 22:54:03 GMT",
		STS: "POST\nYpqLoEU3BGysMWXckHs2pQ==\napplication/json\nTue, 18 Nov 2014 22:54:03 GMT\n/bacapi/test/checks", Key: TestKeys,
		Raw: "8Hwlsmv1WVnOMGEfZphqvNyFpFB2ldISFbmMN2EYBUw=", B64: "MID7EUOOKLdZYiHPGwnpnBp1z8kVxLId112VC83NSu8="},
	{Name: "V4 GET TEST", Method: "GET", URL: "/bacapi/test/checks/1253", Path: "/bacapi/test/checks/1253", Date: "Wed, 19 Nov 2014 09:00:00 GMT",
		STS: "GET\n\n\nWed, 19 Nov 2014 09:00:00 GMT\n/bacapi/test/checks/1253", Key: TestKeys,
		Raw: "G/7COpdncTSuwX4AW9PoAJ5IIyv2z0/tg3xBUDWkPOk=", B64: "dyUPtWveL7l9zV0fi9KFeLDB+vf4rgndExPZvyjtn4Q="},
	{Name: "V5 GET LIVE report with query", Method: "GET", URL: "/bacapi/checks/1253/report?download=true&x=1", Path: "/bacapi/checks/1253/report",
		Date: "Wed, 19 Nov 2014 09:00:00 GMT", STS: "GET\n\n\nWed, 19 Nov 2014 09:00:00 GMT\n/bacapi/checks/1253/report", Key: LiveKeys,
		Raw: "JVthsdGCMV0qi0I5jiZ++ZJuDsmexothzPvnZhv/FTE=", B64: "H8puVfstX1AwyxMXSHrGDB4NyemmdflWYbJxJELaYXY="},
	{Name: "V6 POST LIVE billing", Method: "POST", URL: "/bacapi/account/billing", Path: "/bacapi/account/billing", Body: BillV6, MD5: "Of53BvaLCFrXKM6sP2gL5A==",
		ContentType: "application/json", Date: "Wed, 19 Nov 2014 09:00:00 GMT",
		STS: "POST\nOf53BvaLCFrXKM6sP2gL5A==\napplication/json\nWed, 19 Nov 2014 09:00:00 GMT\n/bacapi/account/billing", Key: LiveKeys,
		Raw: "3vnYnm8QaWhX6zXhihEeLtWNCBHaOEbpEqAq79ZD6t0=", B64: "wFtkiHXb9G9H+cY0HmNbWa3fPF0S+o15cdHX5fIwkfw="},
	{Name: "V7 GET LIVE RFC 850 date", Method: "GET", URL: "/bacapi/checks/1253", Path: "/bacapi/checks/1253", Date: "Sunday, 06-Nov-94 08:49:37 GMT",
		STS: "GET\n\n\nSunday, 06-Nov-94 08:49:37 GMT\n/bacapi/checks/1253", Key: LiveKeys,
		Raw: "ni0vrVfD0Ggvov6eDRj4WqRZfkLztxbHPJW7HJyqniA=", B64: "4MczzouJ5BFU9D0avva2Doed6aYCMrANYAnHATcqJVA="},
	{Name: "V8 GET LIVE asctime date", Method: "GET", URL: "/bacapi/checks/1253", Path: "/bacapi/checks/1253", Date: "Sun Nov  6 08:49:37 1994",
		STS: "GET\n\n\nSun Nov  6 08:49:37 1994\n/bacapi/checks/1253", Key: LiveKeys,
		Raw: "LOtyTosuIJhAsNZxsJ37i9uYoWdCdwmzP+5XyhP4fIc=", B64: "pBG8YrvPCZe8XTJV1sjezZMg8/GdYI47FtS1IRh56cs="},
}

// SignedHeaders exposes the client signer to the external tests.
func SignedHeaders(method, path string, body []byte, kp KeyPair, date string) http.Header {
	return signedHeaders(method, path, body, kp, date)
}

// SetKeyMode, SetLenientPath and SetAnyTosToken change settings of a
// mounted provider (tests only; no concurrent requests).
func (p *Provider) SetKeyMode(mode string) { p.opts.KeyMode = mode }
func (p *Provider) SetLenientPath(on bool) { p.opts.PathWithoutSlash = on }
func (p *Provider) SetAuthStatus(code int) { p.opts.AuthFailureStatus = code }
func (p *Provider) SetAnyTosToken(on bool) { p.opts.AnyTosToken = on }

// EventCheckCreated and KindCheck name the check's event and kind.
const (
	EventCheckCreated = eventCheckCreated
	KindCheck         = kindCheck
)
