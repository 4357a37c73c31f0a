package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// TestSupportPanel: Settings shows the support plan versions with the 2027
// ones to confirm; confirming, editing and the two settings are saved with
// their change-log entries.
func TestSupportPanel(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	p := h.settings().support
	confirms := 0
	for _, o := range test.LaidOutObjects(p.plans) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Confirm" {
			confirms++
		}
	}
	if len(p.plans.Objects) != len(billing.DefaultSupportPlans()) || confirms != 2 {
		t.Fatalf("%d plans with %d to confirm, want the %d presets with Business Support+ and Enterprise 2027 to confirm",
			len(p.plans.Objects), confirms, len(billing.DefaultSupportPlans()))
	}

	p.onConfirm("aws-enterprise-2027")
	p.onEdit("aws-business-plus-2027")
	p.edit.minimum.SetText("35")
	p.edit.bands.SetText("0-10000=8;10000-=6")
	test.Tap(p.edit.save)
	ps, err := h.db.SupportPlans()
	if err != nil {
		t.Fatal(err)
	}
	bp, _ := ps.ByID("aws-business-plus-2027")
	ent, _ := ps.ByID("aws-enterprise-2027")
	if bp.ToConfirm || ent.ToConfirm || bp.Minimum.String() != "35" || billing.FormatBands(bp.Bands) != "0-10000=8;10000-=6" {
		t.Errorf("after confirm and edit: %+v / %+v", bp, ent)
	}

	p.edit.bands.SetText("0-10000=8;12000-=6")
	test.Tap(p.edit.save)
	if !strings.Contains(p.status.Text, "band 2 starts at 12000") {
		t.Errorf("a gap between bands: status %q", p.status.Text)
	}

	p.discounts.SetSelected(p.discounts.Options[2])
	p.base.SetSelected(p.base.Options[1])
	s, err := h.db.BillingSettings()
	if err != nil || s.ProviderDiscounts != customer.DiscountsMargin || s.SupportBase != billing.NetBase {
		t.Errorf("settings %+v %v, want margin and after provider discounts", s, err)
	}
	log, _ := h.db.SettingsLog()
	if len(log) != 4 { // two plans, two settings
		t.Errorf("%d settings log entries, want 4", len(log))
	}
}
