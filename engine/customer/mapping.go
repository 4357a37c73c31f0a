package customer

// Mapping says that a customer owns a cloud account (an AWS usage account,
// an Azure subscription, a FOCUS SubAccountId) from one month until
// another. One account belongs to at most one customer in any month.
type Mapping struct {
	Account  string `json:"account"`
	Customer string `json:"customer"` // Customer.ID
	From     string `json:"from"`     // YYYY-MM, first month owned
	Until    string `json:"until"`    // YYYY-MM, last month owned; "" = open-ended
}
