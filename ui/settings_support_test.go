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

	// A gap between bands is refused beside the bands; the dialog stays
	// open with what was typed.
	p.onEdit("aws-business-plus-2027")
	p.edit.bands.SetText("0-10000=8;12000-=6")
	test.Tap(p.edit.save)
	if got := p.edit.form.fields[billing.PlanFieldBands].problems(); !strings.Contains(got, "band 2 starts at 12000") || p.edit.bands.Text != "0-10000=8;12000-=6" {
		t.Errorf("a gap between bands: %q", got)
	}
	if !overlayShown(h, p.edit.form) {
		t.Error("the dialog closed on a refusal")
	}
	p.edit.form.d.Hide()

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

// TestAddSupportPlanVersion: a version is added from the window as
// `rebill support-plans add` does, each problem shown beside its field as
// it is typed, and an overlap with a version pricing the same setting in
// the same months refused by the store with the dialog left open.
func TestAddSupportPlanVersion(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	p := h.settings().support
	p.onAdd()
	e := &p.edit
	test.Tap(e.save)
	f := e.form
	for _, tc := range []struct{ field, want string }{
		{billing.PlanFieldID, "id is empty"},
		{billing.PlanFieldBands, "No band given"},
	} {
		if got := f.fields[tc.field].problems(); !strings.Contains(got, tc.want) {
			t.Errorf("%s shows %q, want %q", tc.field, got, tc.want)
		}
	}
	test.Type(e.id, "partner-gold")
	test.Type(e.name, "Partner Gold support")
	if got := f.fields[billing.PlanFieldServes].problems(); !strings.Contains(got, "serves no customer setting") {
		t.Errorf("serves shows %q", got)
	}
	e.serves.SetSelected([]string{"flat"})
	test.Type(e.bands, "0-=4")
	test.Type(e.from, "2027-13")
	if got := f.fields[billing.PlanFieldFrom].problems(); !strings.Contains(got, `"2027-13" is not a month`) {
		t.Errorf("from shows %q", got)
	}
	e.from.SetText("2027-01")
	// The preset for "flat" prices every month: the store refuses the
	// overlap, and the dialog stays open with what was typed.
	test.Tap(e.save)
	if !overlayShown(h, f) || !strings.Contains(f.status.Text, "both price \"flat\" in the same months") || e.name.Text != "Partner Gold support" {
		t.Fatalf("overlap: open %v, status %q, name %q", overlayShown(h, f), f.status.Text, e.name.Text)
	}
	if _, err := h.db.UpdateSupportPlan("flat", func(sp *billing.SupportPlan) error { sp.Until = "2026-12"; return nil }, testNow); err != nil {
		t.Fatal(err)
	}
	test.Tap(e.save)
	if overlayShown(h, f) {
		t.Fatalf("still open: %q", f.status.Text)
	}
	ps, _ := h.db.SupportPlans()
	if sp, ok := ps.ByID("partner-gold"); !ok || sp.Name != "Partner Gold support" || billing.FormatBands(sp.Bands) != "0-=4" || sp.From != "2027-01" {
		t.Fatalf("not added: %+v", sp)
	}
	if !strings.HasPrefix(p.status.Text, "Support plan partner-gold added.") {
		t.Errorf("status %q", p.status.Text)
	}
}
