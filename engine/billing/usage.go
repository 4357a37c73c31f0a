package billing

// UsageView is the usage report's rounding of the same lines: every line
// item's charge rounded half away from zero to the cent first, then summed
// per service line (a pricing rule applies to that sum; a conversion, then
// the line's rounding to the invoice currency, follow as on the bill). It
// is what a cost tool adding up the provider's rounded lines shows, so it
// can differ from the bill by a few cents; Difference names how much.
//
// It covers the lines made of line items (provider charges, Marketplace
// when included, provider credits): support, recurring charges, discount,
// credits and tax are the same in both views.
type UsageView struct {
	CustomerID string      `json:"customer_id"`
	Period     string      `json:"period"`
	Currency   string      `json:"currency"`
	Lines      []UsageLine `json:"lines"`
	Total      Amount      `json:"total"`      // the usage view
	Bill       Amount      `json:"bill"`       // the same lines on the statement
	Difference Amount      `json:"difference"` // Bill - Total
}

// UsageLine is one service line in both roundings.
type UsageLine struct {
	ProductType ProductType `json:"product_type"`
	Service     string      `json:"service"`
	Usage       Amount      `json:"usage"`
	Bill        Amount      `json:"bill"`
	Difference  Amount      `json:"difference"` // Bill - Usage
}

func (b *builder) usageView(st *Statement) UsageView {
	cur := b.currency
	v := UsageView{CustomerID: st.CustomerID, Period: st.Period, Currency: cur,
		Lines: []UsageLine{}, Total: zero(cur), Bill: zero(cur)}
	for _, la := range b.printed {
		if la.key.role == roleRecurring || la.key.role == roleSupport {
			continue
		}
		u := b.mode.Round(la.pricedCents, cur)
		v.Lines = append(v.Lines, UsageLine{ProductType: la.key.section, Service: la.key.service,
			Usage: u, Bill: la.amount, Difference: la.amount.Add(u.Neg())})
		v.Total = v.Total.Add(u)
		v.Bill = v.Bill.Add(la.amount)
	}
	v.Difference = v.Bill.Add(v.Total.Neg())
	return v
}
