package audit_test

import (
	"testing"

	"github.com/taxportal/portal/audit"
)

// BenchmarkAppend measures one append in its own transaction, on the
// database the suite runs on (SQLite unless PORTAL_TEST_POSTGRES_URL is set).
func BenchmarkAppend(b *testing.B) {
	log, _ := newLog(b)
	e := audit.Entry{Actor: agent, Action: audit.ActionTaxpayerOpened, TaxpayerID: ptr(7),
		Subject: "taxpayer:7", Reason: "call 2026-0301-17", Detail: "opened from the call queue"}
	for b.Loop() {
		if _, err := log.Append(b.Context(), e); err != nil {
			b.Fatal(err)
		}
	}
}
