package audit_test

import (
	"testing"
	"time"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
)

// seed writes a small, varied trail; the clock puts entry n at about
// start + 1.5 s × n.
func seed(t *testing.T, log *audit.Log) {
	t.Helper()
	for _, e := range []audit.Entry{
		{Actor: taxpayer, Action: audit.ActionSSNEntered, AccountID: ptr(1), Subject: "verification:3"},         // 1
		{Actor: agent, Action: audit.ActionTaxpayerOpened, TaxpayerID: ptr(7), AccountID: ptr(1), Reason: "c1"}, // 2
		{Actor: agent, Action: audit.ActionDocumentsReviewed, AccountID: ptr(1), Reason: "c1"},                  // 3
		{Actor: supervisor, Action: audit.ActionAccountUnlocked, AccountID: ptr(2), Reason: "c2"},               // 4
		{Actor: audit.System, Action: "system.sessions_swept"},                                                  // 5
		{Actor: agent, Action: audit.ActionTaxpayerOpened, TaxpayerID: ptr(8), Reason: "c3"},                    // 6
		{Actor: agent, Action: "agentx.lookalike", TaxpayerID: ptr(7)},                                          // 7
		{Actor: agent, Action: audit.ActionIPPINMailed, TaxpayerID: ptr(7), Outcome: audit.OutcomeRefused},      // 8
	} {
		if _, err := log.Append(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(entries []models.AuditEntry) []uint64 {
	out := make([]uint64, len(entries))
	for i, e := range entries {
		out[i] = e.ID
	}
	return out
}

func TestQueryFilters(t *testing.T) {
	log, _ := newLog(t)
	seed(t, log)
	at := func(n int) time.Time { return start.Add(time.Duration(n) * 1500 * time.Millisecond) }
	for name, c := range map[string]struct {
		f    audit.Filter
		want []uint64
	}{
		"everything, newest first":  {audit.Filter{}, []uint64{8, 7, 6, 5, 4, 3, 2, 1}},
		"by actor":                  {audit.Filter{ActorAccountID: ptr(901)}, []uint64{4}},
		"by taxpayer":               {audit.Filter{TaxpayerID: ptr(7)}, []uint64{8, 7, 2}},
		"by account":                {audit.Filter{AccountID: ptr(1)}, []uint64{3, 2, 1}},
		"exact action":              {audit.Filter{Action: audit.ActionTaxpayerOpened}, []uint64{6, 2}},
		"action prefix":             {audit.Filter{Action: "agent."}, []uint64{8, 6, 4, 3, 2}},
		"underscore is no wildcard": {audit.Filter{Action: "agent_."}, nil}, // would match agentx.lookalike
		"time range":                {audit.Filter{From: at(3), To: at(6)}, []uint64{5, 4, 3}},
		"combined":                  {audit.Filter{TaxpayerID: ptr(7), Action: "agent."}, []uint64{8, 2}},
		"limit":                     {audit.Filter{Limit: 3}, []uint64{8, 7, 6}},
		"next page":                 {audit.Filter{Limit: 3, BeforeID: 6}, []uint64{5, 4, 3}},
	} {
		got, err := log.Query(t.Context(), c.f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g := ids(got); !equal(g, c.want) {
			t.Errorf("%s: ids %v, want %v", name, g, c.want)
		}
	}
}

func TestQueryPageSizes(t *testing.T) {
	log, _ := newLog(t)
	appendN(t, log, audit.MaxLimit+1)
	for limit, want := range map[int]int{0: audit.DefaultLimit, -1: audit.DefaultLimit, 10_000: audit.MaxLimit, 7: 7} {
		got, err := log.Query(t.Context(), audit.Filter{Limit: limit})
		if err != nil || len(got) != want {
			t.Errorf("limit %d gave %d entries (%v), want %d", limit, len(got), err, want)
		}
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
