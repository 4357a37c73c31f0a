package invoice

import (
	"encoding/json"
	"time"

	"rebill/engine/billing"
)

// JSONAt is the invoice as every face prints it (`rebill invoices show
// --json`, the billing API): the stored value with status as of now
// (past_due derived, see Effective) and the stored one in stored_status.
// A summary, as listings print, leaves out the sections and the logo.
func (inv Invoice) JSONAt(now time.Time, summary bool) (json.RawMessage, error) {
	return inv.jsonAt(now, summary, nil, nil)
}

// SettledJSONAt is the whole invoice as JSONAt prints it with, under
// "settlement", what was credited and paid on it since it was issued and
// the balance (Settlement; left out when s is nil), as its documents
// print them.
func (inv Invoice) SettledJSONAt(now time.Time, s *Settlement) (json.RawMessage, error) {
	return inv.jsonAt(now, false, s, nil)
}

// ListedJSONAt is the invoice as JSONAt prints it in a list (summary),
// with "balance", what is still owed, when balances has the invoice's id
// (an Open or Past Due invoice: Balance).
func (inv Invoice) ListedJSONAt(now time.Time, balances map[string]billing.Amount) (json.RawMessage, error) {
	b, ok := balances[inv.ID]
	if !ok {
		return inv.JSONAt(now, true)
	}
	return inv.jsonAt(now, true, nil, &b)
}

func (inv Invoice) jsonAt(now time.Time, summary bool, settled *Settlement, balance *billing.Amount) (json.RawMessage, error) {
	if summary {
		inv.Seller.Logo = nil
	}
	b, err := json.Marshal(inv)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["status"], _ = json.Marshal(inv.Effective(now))
	m["stored_status"], _ = json.Marshal(inv.Status)
	if summary {
		delete(m, "sections")
	}
	if settled != nil {
		if m["settlement"], err = json.Marshal(settled); err != nil {
			return nil, err
		}
	}
	if balance != nil {
		if m["balance"], err = json.Marshal(balance); err != nil {
			return nil, err
		}
	}
	return json.Marshal(m)
}
