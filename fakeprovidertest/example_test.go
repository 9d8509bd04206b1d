package fakeprovidertest_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
)

// In a test, Start(t) does the same and stops on t.Cleanup.
func ExampleNew() {
	srv, err := fakeprovidertest.New()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	resp, err := http.Get(srv.BaseURL + "/_fakeprovider/health")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, srv.URL("d24") == srv.BaseURL+"/d24")
	// Output: 200 true
}

// Each tenant has its own credentials, data and clock offset.
func ExampleTenant_NewTenant() {
	srv, err := fakeprovidertest.New()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	tn := srv.NewTenant()
	res := tn.Advance(15 * time.Minute)
	fmt.Println(tn.ID != srv.ID, len(tn.Webhooks()), res.StepsRun)
	// Output: true 0 0
}

// Requests shows what a provider received and why auth failed.
func ExampleTenant_RequestsAll() {
	srv, err := fakeprovidertest.New()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	resp, err := http.Get(srv.URL("difitek") + "/v1/testnetwork/self") // no cv-auth header
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	r := srv.RequestsAll(fakeprovidertest.Filter{Provider: "difitek", Limit: 1})[0]
	fmt.Println(r.Method, r.Path, r.Auth.OK, r.Auth.Reason != "")
	// Output: GET /difitek/v1/testnetwork/self false true
}

// Do signs a request as the provider's real clients do, with the tenant's
// credentials, and sends it.
func ExampleTenant_Do() {
	srv, err := fakeprovidertest.New()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	resp, _ := srv.Do("difitek", http.MethodGet, "/v1/testnetwork/self", nil)
	r := srv.Requests(fakeprovidertest.Filter{Provider: "difitek", Limit: 1})[0]
	fmt.Println(resp.StatusCode, r.Route, r.Auth.OK)
	// Output: 200 self.get true
}
