package lineitem

import (
	"strings"
	"testing"
)

func TestAccountShapesPerProvider(t *testing.T) {
	cases := []struct {
		name           string
		p              Provider
		id             string
		account, payer bool
	}{
		{"AWS account", AWS, "011254002932", true, true},
		{"AWS id of 13 digits", AWS, "1234567890123", false, false},
		{"Azure subscription", Azure, "64e355d7-997c-491d-b0c1-8414dccfcf42", true, true},
		{"Azure subscription, upper case", Azure, "64E355D7-997C-491D-B0C1-8414DCCFCF42", true, true},
		{"Azure subscription as a resource id", Azure, "/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42", false, false},
		{"Azure GUID without its hyphens", Azure, "64e355d7997c491db0c18414dccfcf42", false, true},
		{"Azure GUID of a letter past f", Azure, "64e355d7-997c-491d-b0c1-8414dccfcf4g", false, true},
		{"Azure enrollment number", Azure, "8611537", false, true},
		{"Azure agreement", Azure, "5e98e158-xxxx:1234_2019-05-31", false, true},
		{"Azure billing account with a space", Azure, "86 11537", false, false},
		{"Oracle tenancy", OCI, "ocid1.tenancy.oc1..aaaaaaaa2fs7w19bi9iupcjqv8zayogd78eziinl2hu7rkdvmuhsavhbmkma", true, true},
		{"Oracle compartment with a region", OCI, "ocid1.compartment.oc1.phx.aaaaaaaa", true, true},
		{"Oracle id of four fields", OCI, "ocid1.tenancy.oc1.aaaa", false, true},
		{"Oracle id in capitals", OCI, "ocid1.tenancy.oc1..AAAA", false, true},
		{"Oracle id without a version", OCI, "ocid.tenancy.oc1..aaaa", false, true},
		{"Oracle billing account", OCI, "20209880", false, true},
		{"Google Cloud project", GCP, "my-project-1", true, false},
		{"Google Cloud project of a Workspace domain", GCP, "example.com:my-project", true, false},
		{"Google Cloud project of 5 characters", GCP, "proj1", false, false},
		{"Google Cloud project starting with a digit", GCP, "1-my-project", false, false},
		{"Google Cloud project ending with a hyphen", GCP, "my-project-", false, false},
		{"Google Cloud project in capitals", GCP, "My-Project-1", false, false},
		{"Google Cloud billing account", GCP, "000000-B0BBA4-940A77", false, true},
		{"Google Cloud billing account in lower case", GCP, "000000-b0bba4-940a77", false, false},
		{"unknown provider", Provider("alibaba"), "my-project-1", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.ValidAccount(tc.id); got != tc.account {
				t.Errorf("ValidAccount(%q) = %v", tc.id, got)
			}
			if got := tc.p.ValidPayer(tc.id); got != tc.payer {
				t.Errorf("ValidPayer(%q) = %v", tc.id, got)
			}
		})
	}
}

// azure is an Azure item every rule accepts.
func azure() Item {
	it := valid()
	it.Provider, it.PayerAccount, it.UsageAccount = Azure, "8611537", "64e355d7-997c-491d-b0c1-8414dccfcf42"
	it.ReservationARN, it.SavingsPlanARN = "", ""
	return it
}

func TestValidateOtherProviders(t *testing.T) {
	cases := []struct {
		name   string
		change func(it *Item)
		field  Field
		want   string
	}{
		{"Azure", func(*Item) {}, 0, ""},
		{"Azure charge of the billing account itself", func(it *Item) { it.UsageAccount = it.PayerAccount }, 0, ""},
		{"Azure usage account of another billing account", func(it *Item) { it.UsageAccount = "8611538" }, FieldUsageAccount,
			`"8611538" is not an account id: an Azure subscription id is a GUID (8-4-4-4-12 hexadecimal digits)`},
		{"Azure payer with a space", func(it *Item) { it.PayerAccount = "86 11537" }, FieldPayerAccount,
			`"86 11537" is not an account id: a billing account id is one word of letters, digits and - _ : . (at most 256)`},
		{"Oracle", func(it *Item) {
			it.Provider, it.PayerAccount, it.UsageAccount = OCI, "20209880", "ocid1.tenancy.oc1..aaaa"
		}, 0, ""},
		{"Oracle account that is a subscription", func(it *Item) { it.Provider, it.PayerAccount = OCI, "20209880" }, FieldUsageAccount,
			"an Oracle Cloud tenancy or compartment id is an OCID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := azure()
			tc.change(&it)
			inv := Validate(&it)
			if tc.want == "" {
				if inv != nil {
					t.Fatalf("refused: %v", inv)
				}
				return
			}
			if inv == nil || inv.Field != tc.field || inv.Error() != `"`+inv.Value+`" `+inv.Reason || !strings.Contains(inv.Error(), tc.want) {
				t.Fatalf("got %v, want %s: %s", inv, tc.field, tc.want)
			}
		})
	}
}

// TestCheckerChecksAgainWhenTheProviderChanges: an id valid for one
// provider, repeated on an item of another, is checked by that one's rule.
func TestCheckerChecksAgainWhenTheProviderChanges(t *testing.T) {
	var c Checker
	a := azure()
	a.UsageAccount = a.PayerAccount // the billing account's own charge
	if inv := c.Check(&a); inv != nil {
		t.Fatal(inv)
	}
	b := a
	b.PayerAccount = "8611538" // the same usage account under another payer
	if inv := c.Check(&b); inv == nil || inv.Field != FieldUsageAccount {
		t.Fatalf("got %v", inv)
	}
	var d Checker
	aws := valid()
	if inv := d.Check(&aws); inv != nil {
		t.Fatal(inv)
	}
	oci := aws
	oci.Provider, oci.ReservationARN, oci.SavingsPlanARN = OCI, "", "" // same payer and account, now Oracle's
	if inv := d.Check(&oci); inv == nil || inv.Field != FieldUsageAccount {
		t.Fatalf("got %v", inv)
	}
}
