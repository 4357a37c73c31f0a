package customer

import "strings"

// Setup is a whole set of customer data saved at once: the first-run
// sample, or a move-in from another tool. Profile is nil to keep the
// reseller profile as it is.
type Setup struct {
	Profile   *Profile
	Customers []Customer
	Mappings  []Mapping
	Grants    []Grant // ID and Granted are assigned when saved
}

// Matches reports whether the customer matches a search of the customer
// list: every word of the query, case-insensitively, in the id, name,
// group, contact, country or tax number.
func (c *Customer) Matches(query string) bool {
	hay := strings.ToLower(strings.Join([]string{c.ID, c.Name, c.Group, c.Contact.Name, c.Contact.Email,
		c.Contact.Phone, c.Contact.Country, c.TaxNumber}, "\x00"))
	for _, w := range strings.Fields(strings.ToLower(query)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
