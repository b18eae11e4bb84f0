package appointments_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/appointments"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

var now = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*appointments.Service, *gorm.DB) {
	t.Helper()
	db := portaltest.DB(t)
	base, _ := url.Parse("https://video.example.gov/rooms")
	return appointments.New(db, appointments.DefaultSettings(base)), db
}

func newAccount(t *testing.T, db *gorm.DB, email string, role models.Role) uint64 {
	t.Helper()
	a := models.Account{Email: email, PasswordHash: "x", PasswordChangedAt: now, Role: role}
	if err := db.Create(&a).Error; err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func publish(t *testing.T, s *appointments.Service, agent uint64, start time.Time) *models.VideoSlot {
	t.Helper()
	slot, err := s.Publish(t.Context(), agent, start, 30*time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	return slot
}

func TestPublishRules(t *testing.T) {
	s, db := setup(t)
	agent := newAccount(t, db, "agent@example.gov", models.RoleAgent)
	ctx := t.Context()
	tomorrow := now.Add(24 * time.Hour)
	for name, c := range map[string]struct {
		start  time.Time
		length time.Duration
		want   error
	}{
		"past":      {now.Add(-time.Hour), 30 * time.Minute, appointments.ErrBadTime},
		"far ahead": {now.Add(100 * 24 * time.Hour), 30 * time.Minute, appointments.ErrBadTime},
		"too short": {tomorrow, 5 * time.Minute, appointments.ErrBadLength},
		"too long":  {tomorrow, 3 * time.Hour, appointments.ErrBadLength},
	} {
		if _, err := s.Publish(ctx, agent, c.start, c.length, now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	publish(t, s, agent, tomorrow)
	if _, err := s.Publish(ctx, agent, tomorrow.Add(15*time.Minute), 30*time.Minute, now); !errors.Is(err, appointments.ErrOverlap) {
		t.Errorf("overlap: %v", err)
	}
	// Another agent may offer the same time.
	other := newAccount(t, db, "other@example.gov", models.RoleAgent)
	publish(t, s, other, tomorrow)

	// A block of 20-minute calls from 9:00 to 10:10 is three calls; the one
	// overlapping the 9:30 call already there is skipped.
	nine := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	publish(t, s, agent, nine.Add(40*time.Minute))
	n, err := s.PublishBlock(ctx, agent, nine, nine.Add(70*time.Minute), 20*time.Minute, now)
	if err != nil || n != 2 {
		t.Errorf("block: %d, %v; want 2 (one skipped)", n, err)
	}
	day, err := s.Day(ctx, agent, nine, nine.Add(24*time.Hour))
	if err != nil || len(day) != 3 {
		t.Fatalf("day: %d slots, %v", len(day), err)
	}
	if _, err := s.PublishBlock(ctx, agent, nine, nine.Add(-time.Hour), 20*time.Minute, now); !errors.Is(err, appointments.ErrBadTime) {
		t.Errorf("backwards block: %v", err)
	}
}

func TestBookCancelMove(t *testing.T) {
	s, db := setup(t)
	ctx := t.Context()
	agent := newAccount(t, db, "agent@example.gov", models.RoleAgent)
	jane := newAccount(t, db, "jane@example.com", models.RoleTaxpayer)
	joe := newAccount(t, db, "joe@example.com", models.RoleTaxpayer)
	a := publish(t, s, agent, now.Add(2*time.Hour))
	b := publish(t, s, agent, now.Add(3*time.Hour))
	soon := publish(t, s, agent, now.Add(10*time.Minute))

	open, err := s.Open(ctx, now, 10)
	if err != nil || len(open) != 2 || open[0].ID != a.ID {
		t.Fatalf("open: %v %v (a time inside the booking lead is not offered)", open, err)
	}
	if _, err := s.Book(ctx, soon.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now); !errors.Is(err, appointments.ErrTooSoon) {
		t.Errorf("booking too soon: %v", err)
	}
	got, err := s.Book(ctx, a.ID, appointments.Booking{AccountID: jane, VerificationID: 1, TimeZone: "America/Chicago"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.MeetingURL, "https://video.example.gov/rooms/") || len(got.MeetingURL) < len("https://video.example.gov/rooms/")+20 {
		t.Errorf("meeting link %q", got.MeetingURL)
	}
	if _, err := s.Book(ctx, a.ID, appointments.Booking{AccountID: joe, VerificationID: 2}, now); !errors.Is(err, appointments.ErrTaken) {
		t.Errorf("double booking: %v", err)
	}
	if _, err := s.Book(ctx, b.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now); !errors.Is(err, appointments.ErrHasBooking) {
		t.Errorf("second appointment: %v", err)
	}
	if err := s.Remove(ctx, agent, a.ID); !errors.Is(err, appointments.ErrBooked) {
		t.Errorf("removing a booked time: %v", err)
	}
	// Someone else's appointment cannot be cancelled or moved; it looks
	// like no appointment at all.
	if err := s.Cancel(ctx, a.ID, joe, now); !errors.Is(err, appointments.ErrNotFound) {
		t.Errorf("cancelling another's: %v", err)
	}
	if _, err := s.Move(ctx, a.ID, b.ID, appointments.Booking{AccountID: joe, VerificationID: 2}, now); !errors.Is(err, appointments.ErrNotFound) {
		t.Errorf("moving another's: %v", err)
	}

	moved, err := s.Move(ctx, a.ID, b.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now)
	if err != nil || moved.ID != b.ID {
		t.Fatalf("move: %v", err)
	}
	if moved.MeetingURL == got.MeetingURL {
		t.Error("a moved appointment kept the old link")
	}
	if cur, _ := s.Booked(ctx, jane, now); cur == nil || cur.ID != b.ID {
		t.Errorf("booked after move: %+v", cur)
	}
	if again, _ := s.Get(ctx, a.ID); again.AccountID != nil || again.MeetingURL != "" {
		t.Error("the old time was not freed")
	}
	// Moving to a taken time keeps the appointment.
	if _, err := s.Book(ctx, a.ID, appointments.Booking{AccountID: joe, VerificationID: 2}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Move(ctx, b.ID, a.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now); !errors.Is(err, appointments.ErrTaken) {
		t.Errorf("moving onto a taken time: %v", err)
	}
	if cur, _ := s.Booked(ctx, jane, now); cur == nil || cur.ID != b.ID {
		t.Error("a failed move lost the appointment")
	}
	// Moving to a time too soon to book says so, not that the call is too
	// close to change.
	if _, err := s.Move(ctx, b.ID, soon.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now); !errors.Is(err, appointments.ErrTooSoon) {
		t.Errorf("moving to a time too soon: %v, want ErrTooSoon", err)
	}
	if err := s.Cancel(ctx, b.ID, jane, now.Add(2*time.Hour+45*time.Minute)); !errors.Is(err, appointments.ErrTooLate) {
		t.Errorf("cancelling minutes before: %v", err)
	}
	if err := s.Cancel(ctx, b.ID, jane, now); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.Booked(ctx, jane, now); cur != nil {
		t.Error("still booked after cancelling")
	}
	if err := s.Remove(ctx, agent, b.ID); err != nil {
		t.Errorf("removing the freed time: %v", err)
	}
	if err := s.Remove(ctx, agent, b.ID); !errors.Is(err, appointments.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
}

// TestNoDoubleBooking has many people press "Book" for one time at once:
// exactly one gets it.
func TestNoDoubleBooking(t *testing.T) {
	s, db := setup(t)
	agent := newAccount(t, db, "agent@example.gov", models.RoleAgent)
	slot := publish(t, s, agent, now.Add(2*time.Hour))
	const people = 8
	ids := make([]uint64, people)
	for i := range ids {
		ids[i] = newAccount(t, db, fmt.Sprintf("p%d@example.com", i), models.RoleTaxpayer)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, taken := 0, 0
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Book(t.Context(), slot.ID, appointments.Booking{AccountID: ids[i], VerificationID: uint64(i + 1)}, now)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, appointments.ErrTaken):
				taken++
			default:
				t.Errorf("booking: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || taken != people-1 {
		t.Errorf("%d bookings succeeded and %d were refused, want 1 and %d", won, taken, people-1)
	}
}

func TestOutcome(t *testing.T) {
	s, db := setup(t)
	ctx := t.Context()
	agent := newAccount(t, db, "agent@example.gov", models.RoleAgent)
	jane := newAccount(t, db, "jane@example.com", models.RoleTaxpayer)
	slot := publish(t, s, agent, now.Add(2*time.Hour))
	if _, err := s.Book(ctx, slot.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now); err != nil {
		t.Fatal(err)
	}
	up, err := appointments.Upcoming(ctx, db, now, 10)
	if err != nil || len(up) != 1 || up[0].ID != slot.ID {
		t.Fatalf("upcoming: %v %v", up, err)
	}
	slot, _ = s.Get(ctx, slot.ID)
	record := func(o appointments.Outcome, at time.Time) error {
		return db.Transaction(func(tx *gorm.DB) error { return s.RecordTx(tx, slot, o, at) })
	}
	if err := record(appointments.Outcome{Result: appointments.OutcomeVerified}, now); !errors.Is(err, appointments.ErrNotStarted) {
		t.Errorf("recording before the call: %v", err)
	}
	callTime := now.Add(2*time.Hour + 5*time.Minute)
	if err := record(appointments.Outcome{Result: appointments.OutcomeFailed}, callTime); err == nil {
		t.Error("a failure without a reason was recorded")
	}
	if err := record(appointments.Outcome{Result: "maybe", Reason: "x"}, callTime); err == nil {
		t.Error("an unknown outcome was recorded")
	}
	if err := record(appointments.Outcome{Result: appointments.OutcomeVerified, Notes: " Passport shown. "}, callTime); err != nil {
		t.Fatal(err)
	}
	stale := *slot
	stale.Outcome = ""
	if err := db.Transaction(func(tx *gorm.DB) error {
		return s.RecordTx(tx, &stale, appointments.Outcome{Result: appointments.OutcomeFailed, Reason: "x"}, callTime)
	}); !errors.Is(err, appointments.ErrDecided) {
		t.Errorf("a second decision: %v", err)
	}
	got, _ := s.Get(ctx, slot.ID)
	if got.Outcome != appointments.OutcomeVerified || got.Notes != "Passport shown." || got.DecidedAt == nil {
		t.Errorf("stored: %+v", got)
	}
	if up, _ := appointments.Upcoming(ctx, db, callTime, 10); len(up) != 0 {
		t.Error("a decided appointment is still upcoming")
	}
	if cur, _ := s.Booked(ctx, jane, callTime); cur != nil {
		t.Error("a decided appointment still counts as booked")
	}
}

// TestPassedCallFreesThePerson: once a call's time is over, its person may
// book another while the outcome is pending; a "verified" outcome then
// gives the other time back.
func TestPassedCallFreesThePerson(t *testing.T) {
	s, db := setup(t)
	ctx := t.Context()
	agent := newAccount(t, db, "agent@example.gov", models.RoleAgent)
	jane := newAccount(t, db, "jane@example.com", models.RoleTaxpayer)
	first := publish(t, s, agent, now.Add(2*time.Hour))
	second := publish(t, s, agent, now.Add(26*time.Hour))
	if _, err := s.Book(ctx, first.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, now); err != nil {
		t.Fatal(err)
	}
	later := now.Add(3 * time.Hour) // the first call is over, undecided
	if cur, _ := s.Booked(ctx, jane, later); cur != nil {
		t.Error("a call whose time passed still shows as booked")
	}
	if up, _ := appointments.Upcoming(ctx, db, later, 10); len(up) != 1 {
		t.Error("the passed call left the agents' list before its outcome")
	}
	if _, err := s.Book(ctx, second.ID, appointments.Booking{AccountID: jane, VerificationID: 1}, later); err != nil {
		t.Fatalf("booking again after a passed call: %v", err)
	}
	first, _ = s.Get(ctx, first.ID)
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := s.RecordTx(tx, first, appointments.Outcome{Result: appointments.OutcomeVerified}, later); err != nil {
			return err
		}
		return s.ReleaseOthersTx(tx, jane, first.ID, later)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, second.ID); got.AccountID != nil {
		t.Error("the other time was not given back after verification")
	}
}

func TestZoneFor(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct{ asked, state, want string }{
		{"", "AZ", "America/Phoenix"},
		{"Pacific/Honolulu", "AZ", "Pacific/Honolulu"},
		{"Europe/Paris", "CA", "America/Los_Angeles"},
		{"", "", "America/New_York"},
	} {
		if got := appointments.ZoneFor(c.asked, c.state, ny).String(); got != c.want {
			t.Errorf("ZoneFor(%q, %q) = %s, want %s", c.asked, c.state, got, c.want)
		}
	}
}
