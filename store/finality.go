package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/period"
)

// FinalConfirmation asks to confirm a month's provisional data final on
// the accountant's word: every provisional current delivery of the
// month, or of one provider, or of one provider's payer.
type FinalConfirmation struct {
	Period   string
	Provider string // "" for every provider of the month
	Payer    string // "" for every payer of the provider
	Reason   string
	By       string // the system user
	Now      time.Time
}

// ConfirmFinal makes the chosen provisional deliveries final
// (ingest.Delivery.ConfirmFinal), each recorded in its history and the
// audit log, in one transaction: all of them or none. Deliveries final
// already are left as they are; when every chosen one is, it is refused.
func (db *DB) ConfirmFinal(req FinalConfirmation) ([]Delivery, error) {
	if err := period.CheckMonth(req.Period); err != nil {
		return nil, err
	}
	req.Provider = strings.ToLower(strings.TrimSpace(req.Provider))
	req.Payer = strings.TrimSpace(req.Payer)
	var out []Delivery
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		chosen, err := chosenDeliveries(tx, req)
		if err != nil {
			return err
		}
		var already error
		for _, p := range chosen {
			rec := p.deliveryRecord
			if rec.Final {
				already = rec.ConfirmFinal(req.Now, req.By, req.Reason) // says why it is final
				continue
			}
			before, err := json.Marshal(rec.Delivery)
			if err != nil {
				return err
			}
			if err := rec.ConfirmFinal(req.Now, req.By, req.Reason); err != nil {
				return err
			}
			rec.Events = append(rec.Events, DeliveryEvent{At: rec.Confirmed.At, By: req.By, What: "confirmed final: " + rec.Confirmed.Reason})
			if err := putDelivery(tx, &rec); err != nil {
				return err
			}
			after, err := json.Marshal(rec.Delivery)
			if err != nil {
				return err
			}
			if err := appendAuditRaw(tx, req.Now, period.ActionConfirmFinal, "delivery:"+strconv.FormatUint(rec.ID, 10), before, after); err != nil {
				return err
			}
			out = append(out, Delivery{rec})
		}
		if len(out) == 0 {
			return already
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// chosenDeliveries are the current deliveries a confirmation names,
// refused when the month, provider or payer has none.
func chosenDeliveries(tx *bolt.Tx, req FinalConfirmation) ([]Period, error) {
	ps, err := currentDeliveries(tx, req.Period)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("nothing is imported for %s: import its files first (rebill periods lists the months)", req.Period)
	}
	providers, err := monthProviders(tx, req.Period)
	if err != nil {
		return nil, err
	}
	if req.Provider == "" && len(providers) > 1 && req.Payer != "" {
		return nil, fmt.Errorf("name the provider of payer %s with --provider: %s has data of %s", req.Payer, req.Period, strings.Join(providers, ", "))
	}
	var out, ofProvider []Period
	for _, p := range ps {
		if req.Provider != "" && string(p.Provider) != req.Provider {
			continue
		}
		ofProvider = append(ofProvider, p)
		if req.Payer == "" || p.Payer == req.Payer {
			out = append(out, p)
		}
	}
	switch {
	case len(ofProvider) == 0:
		return nil, fmt.Errorf("%s has no %s data: its providers are %s", req.Period, req.Provider, strings.Join(providers, ", "))
	case len(out) == 0:
		payers := make([]string, len(ofProvider))
		for i, p := range ofProvider {
			payers[i] = p.Payer
		}
		return nil, fmt.Errorf("%s has no data of payer %s: its payers are %s", req.Period, req.Payer, strings.Join(payers, ", "))
	}
	return out, nil
}
