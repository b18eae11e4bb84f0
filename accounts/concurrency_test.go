package accounts_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
)

// parallel is how many tries each test sends at the same moment.
const parallel = 50

// atOnce runs try n times, all released at the same moment, and returns
// each result.
func atOnce(n int, try func(i int) error) []error {
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs[i] = try(i)
		}()
	}
	start.Done()
	done.Wait()
	return errs
}

// count tallies results that are target, failing on any unexpected error.
func count(t *testing.T, errs []error, target error, allowed ...error) int {
	t.Helper()
	n := 0
	for _, err := range errs {
		var lim *accounts.LimitedError
		switch {
		case errors.Is(err, target):
			n++
		case errors.As(err, &lim):
		default:
			ok := false
			for _, a := range allowed {
				ok = ok || errors.Is(err, a)
			}
			if !ok {
				t.Fatalf("unexpected result: %v", err)
			}
		}
	}
	return n
}

func TestParallelPasswordsNeverPassTheLimits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		max    int
		client func(i int) (email string, c accounts.Client)
	}{
		{"per address", 5, func(i int) (string, accounts.Client) {
			return "victim@example.com", accounts.Client{IP: fmt.Sprintf("198.51.100.%d", i), SessionKey: fmt.Sprint("s", i)}
		}},
		{"per browser", 5, func(i int) (string, accounts.Client) {
			return fmt.Sprintf("user%d@example.com", i), accounts.Client{IP: fmt.Sprintf("198.51.100.%d", i), SessionKey: "one-browser"}
		}},
		{"per client address", 20, func(i int) (string, accounts.Client) {
			return fmt.Sprintf("user%d@example.com", i), accounts.Client{IP: "203.0.113.9", SessionKey: fmt.Sprint("s", i)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			acct := f.confirmed(t, "victim@example.com")
			errs := atOnce(parallel, func(i int) error {
				email, c := tc.client(i)
				_, _, err := f.svc.CheckPassword(t.Context(), email, "not the password at all", c)
				return err
			})
			if checked := count(t, errs, accounts.ErrWrongPassword); checked != tc.max {
				t.Errorf("%d of %d passwords sent at once were checked; the limit is %d", checked, parallel, tc.max)
			}
			var failed int64
			f.svc.DB.Model(&models.SecurityEvent{}).Where("account_id = ? AND kind = ?", acct.ID, accounts.EventSignInFailed).Count(&failed)
			if failed > int64(tc.max) {
				t.Errorf("%d failed sign-ins recorded on the account", failed)
			}
		})
	}
}

func TestParallelCodesNeverPassTheSecondFactorLimit(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	secret, sealed, err := f.svc.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ConfirmTOTP(ctx, acct, sealed, credential.TOTPCode(secret, f.clock.T), "phone", client); err != nil {
		t.Fatal(err)
	}
	errs := atOnce(parallel, func(i int) error {
		_, err := f.svc.VerifyTOTP(ctx, acct, fmt.Sprintf("%06d", i), client)
		return err
	})
	max := accounts.DefaultSettings().Limits.SecondFactor.Max
	if checked := count(t, errs, accounts.ErrWrongCode); checked != max {
		t.Errorf("%d of %d codes sent at once were checked; the limit is %d", checked, parallel, max)
	}
}

func TestParallelFailuresStopAtTheLock(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	// Two failures short of the lock: of many tries at once, two may be
	// checked, and the second locks the account.
	limit := accounts.DefaultSettings().Limits.MaxConsecutiveFailures
	if err := f.svc.DB.Model(acct).Update("consecutive_failures", limit-2).Error; err != nil {
		t.Fatal(err)
	}
	errs := atOnce(parallel, func(i int) error {
		c := accounts.Client{IP: fmt.Sprintf("198.51.100.%d", i), SessionKey: fmt.Sprint("s", i)}
		_, _, err := f.svc.CheckPassword(ctx, "a@example.com", "not the password at all", c)
		return err
	})
	if checked := count(t, errs, accounts.ErrWrongPassword, accounts.ErrAccountLocked); checked != 2 {
		t.Errorf("%d passwords were checked with two failures left before the lock", checked)
	}
	var after models.Account
	f.svc.DB.Take(&after, acct.ID)
	if after.ConsecutiveFailures > limit || after.LockedAt == nil {
		t.Errorf("after the streak: %d failures, locked %v", after.ConsecutiveFailures, after.LockedAt)
	}
}

func TestParallelConfirmationCodesNeverPassTheirTries(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if err := f.svc.Register(ctx, "new@example.com", goodPassword, client); err != nil {
		t.Fatal(err)
	}
	m, _ := f.mail.Last("new@example.com")
	right := notifytest.CodeIn(m.Text)
	errs := atOnce(parallel, func(i int) error {
		code := fmt.Sprintf("%06d", i)
		if code == right {
			code = "999999"
		}
		_, err := f.svc.ConfirmEmailByCode(ctx, "new@example.com", code, client)
		return err
	})
	if n := count(t, errs, accounts.ErrCodeInvalid); n != parallel {
		t.Fatalf("%d of %d wrong codes were refused", n, parallel)
	}
	var row models.OneTimeCode
	f.svc.DB.Where("purpose = ?", models.PurposeConfirmEmail).Order("id DESC").Take(&row)
	if max := accounts.DefaultSettings().CodeAttempts; row.Attempts > max {
		t.Errorf("%d codes were compared with the code; it allows %d", row.Attempts, max)
	}
}

func TestParallelSignUpsFromOneClientStayWithinItsLimit(t *testing.T) {
	f := newFixture(t)
	errs := atOnce(parallel, func(i int) error {
		return f.svc.Register(t.Context(), fmt.Sprintf("new%d@example.com", i), goodPassword, client)
	})
	var created int
	for _, err := range errs {
		var lim *accounts.LimitedError
		switch {
		case err == nil:
			created++
		case !errors.As(err, &lim):
			t.Fatal(err)
		}
	}
	if max := accounts.DefaultSettings().SignUpsPerIP.Max; created != max {
		t.Errorf("one client started %d accounts at once; the limit is %d an hour", created, max)
	}
}
