package audit_test

import (
	"testing"

	"github.com/taxportal/portal/audit"
)

func TestAccessesToListsWhatStaffDid(t *testing.T) {
	log, _ := newLog(t)
	seed(t, log)
	got, err := log.AccessesTo(t.Context(), ptr(7), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Entry 8 was refused, 7 is an agent action without a description yet,
	// 3 concerns the account, 2 both; the taxpayer's own entry 1 is left out.
	want := []audit.Access{
		{Role: "Agent", ActorNumber: "A-0042", Action: "Worked on your records"},
		{Role: "Agent", ActorNumber: "A-0042", Action: "Reviewed your identity documents", Reason: "c1"},
		{Role: "Agent", ActorNumber: "A-0042", Action: "Opened your records", Reason: "c1"},
	}
	if len(got) != len(want) {
		t.Fatalf("accesses %+v", got)
	}
	for i := range want {
		w := want[i]
		w.When = got[i].When
		if got[i] != w || got[i].When.IsZero() {
			t.Errorf("access %d: %+v, want %+v", i, got[i], w)
		}
	}
	if !got[0].When.After(got[1].When) {
		t.Error("not newest first")
	}
}

func TestAccessesToBeforeVerification(t *testing.T) {
	log, _ := newLog(t)
	seed(t, log)
	got, err := log.AccessesTo(t.Context(), nil, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Role != "Supervisor" || got[0].Action != "Unlocked your account" || got[0].ActorNumber != "S-0007" {
		t.Errorf("accesses %+v", got)
	}
}

func TestDescribe(t *testing.T) {
	for action, want := range map[string]string{
		audit.ActionTaxpayerOpened:     "Opened your records",
		audit.ActionDocumentsReviewed:  "Reviewed your identity documents",
		audit.ActionAccountUnlocked:    "Unlocked your account",
		audit.ActionIPPINMailed:        "Had your IP PIN mailed to you",
		audit.ActionSignInMethodsReset: "Reset your sign-in methods",
		"agent.something_new":          "Worked on your records",
		"":                             "Worked on your records",
	} {
		if got := audit.Describe(action); got != want {
			t.Errorf("Describe(%q) = %q, want %q", action, got, want)
		}
	}
}
