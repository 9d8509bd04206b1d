package difitek

import "testing"

func TestPatchRecord(t *testing.T) {
	org := Organization{DisplayName: "Old", Address: Address{City: "London", Country: "GB"}, Custom: map[string]any{"a": 1.0}, UserID: 7}
	tests := []struct {
		name, body string
		check      func(Organization) bool
		code       int
	}{
		{"merge address", `{"address":{"city":"Leeds"}}`, func(o Organization) bool { return o.Address.City == "Leeds" && o.Address.Country == "GB" }, 0},
		{"merge custom", `{"custom":{"b":2}}`, func(o Organization) bool { return o.Custom["a"] == 1.0 && o.Custom["b"] == 2.0 }, 0},
		{"read-only field ignored", `{"user_id":99,"display_name":"New"}`, func(o Organization) bool { return o.UserID == 7 && o.DisplayName == "New" }, 0},
		{"null clears", `{"display_name":null}`, func(o Organization) bool { return o.DisplayName == "" }, 0},
		{"number for a string is its text", `{"display_name":5}`, func(o Organization) bool { return o.DisplayName == "5" }, 0},
		{"object for a string", `{"display_name":{"a":1}}`, nil, 30003},
		{"PHP empty array for custom", `{"custom":[]}`, func(o Organization) bool { return o.Custom["a"] == 1.0 && len(o.Custom) == 1 }, 0},
		{"PHP empty array for address", `{"address":[]}`, func(o Organization) bool { return o.Address.City == "London" }, 0},
		{"list for address", `{"address":["Leeds"]}`, nil, 30003},
		{"not an object", `[1]`, nil, 30001},
		{"broken json", `{"display_name":`, nil, 30001},
		{"empty body", ``, func(o Organization) bool { return o.DisplayName == "Old" }, 0},
	}
	for _, tt := range tests {
		in, err := bodyFields("application/json", []byte(tt.body))
		var got Organization
		if err == nil {
			got, _, err = patchFields(org, in, organizationWritable...)
		}
		if tt.code != 0 {
			if err == nil || toAPIError(err).Code != tt.code {
				t.Errorf("%s: err %v, want code %d", tt.name, err, tt.code)
			}
			continue
		}
		if err != nil || !tt.check(got) {
			t.Errorf("%s: %+v %v", tt.name, got, err)
		}
	}
	if _, ok := org.Custom["b"]; ok {
		t.Error("patchRecord changed its input")
	}
}
