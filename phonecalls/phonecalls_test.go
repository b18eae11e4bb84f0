package phonecalls_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/phonecalls"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
)

var now = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

type fixture struct {
	svc   *phonecalls.Service
	db    *gorm.DB
	maria *models.Taxpayer
}

func setup(t *testing.T) fixture {
	t.Helper()
	db := portaltest.DB(t)
	vault, err := pii.NewVault(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demodata.Seed(t.Context(), db, vault, demodata.Options{Taxpayers: 3}); err != nil {
		t.Fatal(err)
	}
	found, err := phonecalls.Find(t.Context(), db, vault, phonecalls.Query{SSN: "987-65-4320"})
	if err != nil || len(found) != 1 || found[0].LastName != "Hernandez" {
		t.Fatalf("finding Maria by SSN: %v %v", found, err)
	}
	return fixture{svc: &phonecalls.Service{DB: db, Vault: vault, Audit: &audit.Log{DB: db, Now: func() time.Time { return now }}}, db: db, maria: &found[0]}
}

func person(t *testing.T, db *gorm.DB, email string, role models.Role, taxpayerID *uint64) (*models.Account, audit.Actor) {
	t.Helper()
	a := models.Account{Email: email, PasswordHash: "x", PasswordChangedAt: now, Role: role, TaxpayerID: taxpayerID}
	if err := db.Create(&a).Error; err != nil {
		t.Fatal(err)
	}
	return &a, audit.By(a.ID, role, "A-1")
}

func TestFind(t *testing.T) {
	f := setup(t)
	ctx := t.Context()
	for _, q := range []phonecalls.Query{
		{LastName: "hernandez", Last4: "4320"},
		{LastName: "HERNANDEZ", Last4: "4320", FirstName: "mar"},
		{SSN: "987654320"},
	} {
		got, err := phonecalls.Find(ctx, f.db, f.svc.Vault, q)
		if err != nil || len(got) != 1 || got[0].ID != f.maria.ID {
			t.Errorf("%+v: %v %v", q, got, err)
		}
	}
	if got, _ := phonecalls.Find(ctx, f.db, f.svc.Vault, phonecalls.Query{LastName: "Hernandez", Last4: "4320", FirstName: "Rosa"}); len(got) != 0 {
		t.Error("a different first name matched")
	}
	if _, err := phonecalls.Find(ctx, f.db, f.svc.Vault, phonecalls.Query{LastName: "Hernandez"}); !errors.Is(err, phonecalls.ErrQuery) {
		t.Errorf("a name alone: %v", err)
	}
}

// verifiedCall is a call on which Maria answered every question.
func verifiedCall(t *testing.T, f fixture, agent *models.Account, actor audit.Actor) *models.PhoneCall {
	t.Helper()
	ctx := t.Context()
	call, err := f.svc.Start(ctx, agent.ID, phonecalls.LineIPPIN, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Attach(ctx, call, f.maria.ID, actor); err != nil {
		t.Fatal(err)
	}
	for q, a := range map[string]string{"dob": "3/14/1986", "street": "2417 Desert Willow Drive", "zip": "85016-1234"} {
		if ok, err := f.svc.Check(ctx, call, q, a, actor, now); err != nil || !ok {
			t.Fatalf("%s: %v %v", q, ok, err)
		}
	}
	if call.VerifiedAt == nil {
		t.Fatal("all answers matched but the caller is not verified")
	}
	return call
}

func TestChecklist(t *testing.T) {
	f := setup(t)
	ctx := t.Context()
	agent, actor := person(t, f.db, "agent@example.gov", models.RoleAgent, nil)
	call, _ := f.svc.Start(ctx, agent.ID, phonecalls.LineGeneral, now)
	if _, err := f.svc.Unlock(ctx, call, actor, "locked out", now); !errors.Is(err, phonecalls.ErrNoCaller) {
		t.Errorf("acting before finding the caller: %v", err)
	}
	if err := f.svc.Attach(ctx, call, f.maria.ID, actor); err != nil {
		t.Fatal(err)
	}
	qs := phonecalls.Questions(f.maria)
	for _, q := range qs {
		if q.Shown == f.maria.Street1 || q.Shown == f.maria.ZIP {
			t.Errorf("question %s shows the record's answer: %q", q.ID, q.Shown)
		}
	}
	if ok, err := f.svc.Check(ctx, call, "dob", "03/15/1986", actor, now); err != nil || ok {
		t.Errorf("a wrong date matched: %v %v", ok, err)
	}
	if _, err := f.svc.Unlock(ctx, call, actor, "locked out", now); !errors.Is(err, phonecalls.ErrNotVerified) {
		t.Errorf("acting before verification: %v", err)
	}
	f.svc.Check(ctx, call, "zip", "85017", actor, now)
	f.svc.Check(ctx, call, "street", "1 Main St", actor, now)
	if _, err := f.svc.Check(ctx, call, "dob", "03/14/1986", actor, now); !errors.Is(err, phonecalls.ErrTooManyMisses) {
		t.Errorf("a fourth try after three misses: %v", err)
	}
	// Searching again, for the same record or another, gives no new tries.
	if err := f.svc.Detach(ctx, call); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Attach(ctx, call, f.maria.ID, actor); !errors.Is(err, phonecalls.ErrTooManyMisses) {
		t.Errorf("picking the caller again after three misses: %v", err)
	}
	stored, err := f.svc.Call(ctx, agent.ID, call.ID)
	if err != nil || stored.Mismatches != phonecalls.MaxMismatches || stored.TaxpayerID != nil {
		t.Errorf("stored call after searching again: %+v %v", stored, err)
	}
	// Another agent's call is not found.
	other, _ := person(t, f.db, "other@example.gov", models.RoleAgent, nil)
	if _, err := f.svc.Call(ctx, other.ID, call.ID); !errors.Is(err, phonecalls.ErrNotFound) {
		t.Errorf("another agent's call: %v", err)
	}
	verifiedCall(t, f, agent, actor)
}

func TestUnlock(t *testing.T) {
	f := setup(t)
	ctx := t.Context()
	agent, actor := person(t, f.db, "agent@example.gov", models.RoleAgent, nil)
	call := verifiedCall(t, f, agent, actor)
	if _, err := f.svc.Unlock(ctx, call, actor, "caller locked out", now); !errors.Is(err, phonecalls.ErrNoAccount) {
		t.Errorf("no online account: %v", err)
	}
	holder, _ := person(t, f.db, "maria@example.com", models.RoleTaxpayer, &f.maria.ID)
	if _, err := f.svc.Unlock(ctx, call, actor, "caller locked out", now); !errors.Is(err, phonecalls.ErrNotLocked) {
		t.Errorf("not locked: %v", err)
	}
	f.db.Model(holder).Updates(map[string]any{"locked_at": now, "consecutive_failures": 100})
	if _, err := f.svc.Unlock(ctx, call, actor, "  ", now); !errors.Is(err, phonecalls.ErrNoReason) {
		t.Errorf("no reason: %v", err)
	}
	if _, err := f.svc.Unlock(ctx, call, actor, "caller locked out", now); err != nil {
		t.Fatal(err)
	}
	got, _ := models.FindAccount(ctx, f.db, holder.ID)
	if got.LockedAt != nil || got.ConsecutiveFailures != 0 {
		t.Errorf("still locked: %+v", got)
	}
	var entry models.AuditEntry
	f.db.Where("action = ?", audit.ActionAccountUnlocked).Take(&entry)
	if entry.Reason != "Phone call 1: caller locked out" && entry.Reason != phonecalls.CallReference(call)+": caller locked out" {
		t.Errorf("audit reason %q", entry.Reason)
	}
}

// TestTwoPersonRule: a reset asked for by one person takes effect only when
// a different supervisor approves it; the requester can never approve it,
// not even as a supervisor, and a decided request cannot be decided again.
func TestTwoPersonRule(t *testing.T) {
	f := setup(t)
	ctx := t.Context()
	requester, reqActor := person(t, f.db, "sup1@example.gov", models.RoleSupervisor, nil)
	_, otherActor := person(t, f.db, "sup2@example.gov", models.RoleSupervisor, nil)
	holder, _ := person(t, f.db, "maria@example.com", models.RoleTaxpayer, &f.maria.ID)
	f.db.Create(&models.SecondFactor{AccountID: holder.ID, Kind: models.FactorTOTP, Name: "Phone"})
	f.db.Create(&models.Session{IDHash: "h", AccountID: &holder.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
	call := verifiedCall(t, f, requester, reqActor)

	req, err := f.svc.RequestReset(ctx, call, reqActor, "lost phone", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RequestReset(ctx, call, reqActor, "again", now); !errors.Is(err, phonecalls.ErrPendingReset) {
		t.Errorf("a second pending request: %v", err)
	}
	countFactors := func() int64 {
		var n int64
		f.db.Model(&models.SecondFactor{}).Where("account_id = ?", holder.ID).Count(&n)
		return n
	}
	if countFactors() != 1 {
		t.Fatal("the request removed factors before approval")
	}
	if _, _, err := f.svc.Decide(ctx, req.ID, true, reqActor, "ok", now); !errors.Is(err, phonecalls.ErrOwnRequest) {
		t.Errorf("the requester approved their own request: %v", err)
	}
	if countFactors() != 1 {
		t.Fatal("a refused approval removed factors")
	}
	if _, _, err := f.svc.Decide(ctx, req.ID, true, otherActor, "", now); !errors.Is(err, phonecalls.ErrNoReason) {
		t.Errorf("approval without a reason: %v", err)
	}
	acct, got, err := f.svc.Decide(ctx, req.ID, true, otherActor, "identity confirmed on the call", now)
	if err != nil || acct.ID != holder.ID || got.Status != phonecalls.ResetApproved {
		t.Fatalf("approval: %v", err)
	}
	if countFactors() != 0 {
		t.Error("approval left the factors")
	}
	var sessions int64
	f.db.Model(&models.Session{}).Where("account_id = ?", holder.ID).Count(&sessions)
	if sessions != 0 {
		t.Error("approval left the account's sessions")
	}
	if _, _, err := f.svc.Decide(ctx, req.ID, false, otherActor, "changed my mind", now); !errors.Is(err, phonecalls.ErrDecided) {
		t.Errorf("deciding twice: %v", err)
	}
	var n int64
	f.db.Model(&models.AuditEntry{}).Where("action = ? AND actor_account_id = ?", audit.ActionSignInMethodsReset, *otherActor.AccountID).Count(&n)
	if n != 1 {
		t.Errorf("%d audit entries for the reset by the approver", n)
	}
	if rep, err := (&audit.Log{DB: f.db}).Verify(ctx); err != nil || !rep.Intact() {
		t.Errorf("audit chain: %v %s", err, rep.Problem)
	}
}
