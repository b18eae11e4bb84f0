// Package appointments holds the rules of video-call appointments, the
// trusted-referee route of identity verification: agents publish times they
// are free, a person on the video route books one (and may cancel or move
// it), and the agent records on the appointment what happened on the call.
// The call itself runs in an external video tool; each booking carries its
// own unguessable join link.
//
// Times are UTC here; screens show them in the zone the person chose.
package appointments

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// Errors the rules return; handlers turn them into messages.
var (
	ErrNotFound = errors.New("appointments: no such slot or appointment")
	ErrTaken    = errors.New("appointments: the time was just booked by someone else")
	ErrTooSoon  = errors.New("appointments: the time is too soon to book")
	// ErrTooLate: the person's own appointment starts too soon to move or
	// cancel online.
	ErrTooLate    = errors.New("appointments: the appointment starts too soon to change")
	ErrHasBooking = errors.New("appointments: the person already has an appointment")
	ErrBooked     = errors.New("appointments: a booked time cannot be removed")
	ErrOverlap    = errors.New("appointments: the time overlaps one already published")
	ErrBadTime    = errors.New("appointments: the time is in the past or too far ahead")
	ErrBadLength  = errors.New("appointments: a call lasts 15 to 120 minutes")
	ErrDecided    = errors.New("appointments: the outcome was already recorded")
	ErrNotStarted = errors.New("appointments: the call has not started yet")
)

// Outcomes an agent records.
const (
	OutcomeVerified = "verified"
	OutcomeFailed   = "failed"
	OutcomeNoShow   = "no_show"
)

// Settings are the rules' numbers.
type Settings struct {
	// MeetingBase is the external video tool's address; each booking gets
	// a random path under it (PORTAL_MEETING_URL).
	MeetingBase *url.URL
	// BookingLead is how long before a call it may still be booked, moved
	// or cancelled: the agent needs to see who is coming.
	BookingLead time.Duration
	// Horizon is how far ahead slots may be published.
	Horizon time.Duration
	// EarlyStart is how long before its time an agent may record a call's
	// outcome (calls sometimes begin early).
	EarlyStart time.Duration
	// Grace is how long after its end an undecided appointment still shows
	// in the agents' lists, for the outcome to be recorded.
	Grace time.Duration
}

// DefaultSettings are the numbers used unless configured otherwise.
func DefaultSettings(meetingBase *url.URL) Settings {
	return Settings{MeetingBase: meetingBase, BookingLead: 30 * time.Minute, Horizon: 90 * 24 * time.Hour,
		EarlyStart: 15 * time.Minute, Grace: 24 * time.Hour}
}

// Service applies the rules to the database.
type Service struct {
	DB       *gorm.DB
	Settings Settings
}

// New returns a service.
func New(db *gorm.DB, s Settings) *Service { return &Service{DB: db, Settings: s} }

// Lengths a published call may have.
const (
	MinLength = 15 * time.Minute
	MaxLength = 120 * time.Minute
)

// Publish offers one time. It must lie in the future within the horizon
// and not overlap another of the agent's times.
func (s *Service) Publish(ctx context.Context, agentID uint64, start time.Time, length time.Duration, now time.Time) (*models.VideoSlot, error) {
	var slot *models.VideoSlot
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		slot, err = s.publish(tx, agentID, start, length, now)
		return err
	})
	return slot, err
}

func (s *Service) publish(tx *gorm.DB, agentID uint64, start time.Time, length time.Duration, now time.Time) (*models.VideoSlot, error) {
	start = start.UTC().Truncate(time.Minute)
	if length < MinLength || length > MaxLength {
		return nil, ErrBadLength
	}
	if !start.After(now) || start.After(now.Add(s.Settings.Horizon)) {
		return nil, ErrBadTime
	}
	end := start.Add(length)
	var n int64
	if err := tx.Model(&models.VideoSlot{}).Where("agent_id = ? AND starts_at < ? AND ends_at > ?", agentID, end, start).
		Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrOverlap
	}
	slot := &models.VideoSlot{AgentID: agentID, StartsAt: start, EndsAt: end}
	if err := tx.Create(slot).Error; err != nil {
		return nil, err
	}
	return slot, nil
}

// PublishBlock offers back-to-back times of length from start until end
// (a morning, say), skipping those that are past or overlap times already
// published. It returns how many it added.
func (s *Service) PublishBlock(ctx context.Context, agentID uint64, start, end time.Time, length time.Duration, now time.Time) (int, error) {
	if length < MinLength || length > MaxLength {
		return 0, ErrBadLength
	}
	if !end.After(start) || end.Sub(start) > 24*time.Hour {
		return 0, ErrBadTime
	}
	added := 0
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for t := start; !t.Add(length).After(end); t = t.Add(length) {
			_, err := s.publish(tx, agentID, t, length, now)
			switch {
			case errors.Is(err, ErrOverlap), errors.Is(err, ErrBadTime):
				continue
			case err != nil:
				return err
			}
			added++
		}
		return nil
	})
	return added, err
}

// Remove withdraws one of the agent's open times. A booked one must be
// cancelled by the person or decided first: they are counting on it.
func (s *Service) Remove(ctx context.Context, agentID, slotID uint64) error {
	res := s.DB.WithContext(ctx).Where("id = ? AND agent_id = ? AND account_id IS NULL", slotID, agentID).Delete(&models.VideoSlot{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := s.DB.WithContext(ctx).Model(&models.VideoSlot{}).Where("id = ? AND agent_id = ?", slotID, agentID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrBooked
	}
	return ErrNotFound
}

// Open lists the times anyone may book now, soonest first.
func (s *Service) Open(ctx context.Context, now time.Time, limit int) ([]models.VideoSlot, error) {
	var out []models.VideoSlot
	err := s.DB.WithContext(ctx).Where("account_id IS NULL AND starts_at > ?", now.Add(s.Settings.BookingLead)).
		Order("starts_at, id").Limit(limit).Find(&out).Error
	return out, err
}

// live selects appointments that are booked, undecided, and not long over.
func (s *Service) live(db *gorm.DB, now time.Time) *gorm.DB {
	return db.Model(&models.VideoSlot{}).
		Where("account_id IS NOT NULL AND outcome = '' AND ends_at > ?", now.Add(-s.Settings.Grace))
}

// ahead selects the person's undecided appointments that have not ended:
// once a call's time is over, the person may book another while the agent
// records the outcome of the one that passed.
func ahead(db *gorm.DB, accountID uint64, now time.Time) *gorm.DB {
	return db.Model(&models.VideoSlot{}).Where("account_id = ? AND outcome = '' AND ends_at > ?", accountID, now)
}

// Booked is the person's appointment that is still to happen, or nil.
func (s *Service) Booked(ctx context.Context, accountID uint64, now time.Time) (*models.VideoSlot, error) {
	var slot models.VideoSlot
	err := ahead(s.DB.WithContext(ctx), accountID, now).Order("starts_at").Take(&slot).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &slot, nil
}

// Booking is what a person books with.
type Booking struct {
	AccountID      uint64
	VerificationID uint64
	TimeZone       string // IANA name the person sees times in
}

// Book gives the slot to the person if it is still open: a conditional
// update, so of two people pressing at once exactly one gets it. A person
// holds one appointment at a time (Move changes it).
func (s *Service) Book(ctx context.Context, slotID uint64, b Booking, now time.Time) (*models.VideoSlot, error) {
	var slot *models.VideoSlot
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockAccount(tx, b.AccountID); err != nil {
			return err
		}
		if cur, err := s.bookedIn(tx, b.AccountID, now); err != nil {
			return err
		} else if cur != nil {
			return ErrHasBooking
		}
		var err error
		slot, err = s.take(tx, slotID, b, now)
		return err
	})
	return slot, err
}

// Move books another slot and gives up the current one, in one step: if
// the new time is gone, the old appointment stays.
func (s *Service) Move(ctx context.Context, fromID, toID uint64, b Booking, now time.Time) (*models.VideoSlot, error) {
	var slot *models.VideoSlot
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockAccount(tx, b.AccountID); err != nil {
			return err
		}
		if err := s.release(tx, fromID, b.AccountID, now); err != nil {
			return err
		}
		var err error
		slot, err = s.take(tx, toID, b, now)
		return err
	})
	return slot, err
}

// Cancel gives the person's appointment up; the time is open again.
func (s *Service) Cancel(ctx context.Context, slotID, accountID uint64, now time.Time) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.release(tx, slotID, accountID, now)
	})
}

func (s *Service) bookedIn(tx *gorm.DB, accountID uint64, now time.Time) (*models.VideoSlot, error) {
	var slot models.VideoSlot
	err := ahead(tx, accountID, now).Take(&slot).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &slot, err
}

// ReleaseOthersTx frees the person's other future appointments once one
// call verified them: the times go back to be booked by others.
func (s *Service) ReleaseOthersTx(tx *gorm.DB, accountID, keepID uint64, now time.Time) error {
	return tx.Model(&models.VideoSlot{}).Where("account_id = ? AND id <> ? AND outcome = '' AND starts_at > ?", accountID, keepID, now).
		Updates(map[string]any{"account_id": nil, "verification_id": nil, "booked_at": nil,
			"meeting_url": "", "time_zone": "", "updated_at": now}).Error
}

// take is the conditional update that books a slot.
func (s *Service) take(tx *gorm.DB, slotID uint64, b Booking, now time.Time) (*models.VideoSlot, error) {
	link, err := s.meetingURL()
	if err != nil {
		return nil, err
	}
	res := tx.Model(&models.VideoSlot{}).
		Where("id = ? AND account_id IS NULL AND starts_at > ?", slotID, now.Add(s.Settings.BookingLead)).
		Updates(map[string]any{"account_id": b.AccountID, "verification_id": b.VerificationID, "booked_at": now,
			"meeting_url": link, "time_zone": b.TimeZone, "updated_at": now})
	if res.Error != nil {
		return nil, res.Error
	}
	var slot models.VideoSlot
	err = tx.Take(&slot, slotID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if res.RowsAffected == 0 {
		if slot.AccountID == nil {
			return nil, ErrTooSoon
		}
		return nil, ErrTaken
	}
	return &slot, nil
}

// release empties the person's own booking, before its lead time.
func (s *Service) release(tx *gorm.DB, slotID, accountID uint64, now time.Time) error {
	res := tx.Model(&models.VideoSlot{}).
		Where("id = ? AND account_id = ? AND outcome = '' AND starts_at > ?", slotID, accountID, now.Add(s.Settings.BookingLead)).
		Updates(map[string]any{"account_id": nil, "verification_id": nil, "booked_at": nil,
			"meeting_url": "", "time_zone": "", "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := tx.Model(&models.VideoSlot{}).Where("id = ? AND account_id = ? AND outcome = ''", slotID, accountID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrTooLate
	}
	return ErrNotFound // another person's, decided, or no such slot: all look the same
}

// lockAccount queues a person's bookings behind one another (PostgreSQL;
// SQLite's writers queue anyway), so two at once cannot both pass the
// one-appointment rule.
func lockAccount(tx *gorm.DB, accountID uint64) error {
	var a models.Account
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").Take(&a, accountID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// meetingURL is a fresh join link: 130 random bits under the configured
// address of the video tool.
func (s *Service) meetingURL() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	base := "https://meet.example.gov/"
	if s.Settings.MeetingBase != nil {
		base = s.Settings.MeetingBase.String()
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + id, nil
}

// Day is the agent's times that start within [from, to), earliest first.
func (s *Service) Day(ctx context.Context, agentID uint64, from, to time.Time) ([]models.VideoSlot, error) {
	var out []models.VideoSlot
	err := s.DB.WithContext(ctx).Where("agent_id = ? AND starts_at >= ? AND starts_at < ?", agentID, from, to).
		Order("starts_at, id").Find(&out).Error
	return out, err
}

// Get finds one slot.
func (s *Service) Get(ctx context.Context, slotID uint64) (*models.VideoSlot, error) {
	var slot models.VideoSlot
	err := s.DB.WithContext(ctx).Take(&slot, slotID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &slot, err
}

// Upcoming lists booked appointments still to happen or to be decided,
// soonest first, at most limit of them, for the agents' review queue.
func Upcoming(ctx context.Context, db *gorm.DB, now time.Time, limit int) ([]models.VideoSlot, error) {
	s := Service{DB: db, Settings: DefaultSettings(nil)}
	var out []models.VideoSlot
	err := s.live(db.WithContext(ctx), now).Order("starts_at, id").Limit(limit).Find(&out).Error
	return out, err
}

// Outcome is what the agent records after a call.
type Outcome struct {
	Result string // OutcomeVerified, OutcomeFailed or OutcomeNoShow
	Reason string // required unless verified
	Notes  string
}

// Validate checks an outcome before it is recorded.
func (o Outcome) Validate() error {
	switch o.Result {
	case OutcomeVerified:
	case OutcomeFailed, OutcomeNoShow:
		if strings.TrimSpace(o.Reason) == "" {
			return errors.New("appointments: a reason is required")
		}
	default:
		return errors.New("appointments: unknown outcome")
	}
	return nil
}

// RecordTx writes the outcome on a booked, undecided appointment inside
// the caller's transaction (which also moves the verification on), with a
// conditional update so two agents cannot both decide it.
func (s *Service) RecordTx(tx *gorm.DB, slot *models.VideoSlot, o Outcome, now time.Time) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if slot.AccountID == nil {
		return ErrNotFound
	}
	if slot.Outcome != "" {
		return ErrDecided
	}
	if now.Before(slot.StartsAt.Add(-s.Settings.EarlyStart)) {
		return ErrNotStarted
	}
	res := tx.Model(&models.VideoSlot{}).Where("id = ? AND account_id = ? AND outcome = ''", slot.ID, *slot.AccountID).
		Updates(map[string]any{"outcome": o.Result, "outcome_reason": strings.TrimSpace(o.Reason),
			"notes": strings.TrimSpace(o.Notes), "decided_at": now, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrDecided
	}
	slot.Outcome, slot.OutcomeReason, slot.Notes, slot.DecidedAt = o.Result, strings.TrimSpace(o.Reason), strings.TrimSpace(o.Notes), &now
	return nil
}

// SaveNotes keeps the agent's notes on an appointment during the call.
func (s *Service) SaveNotes(ctx context.Context, slotID uint64, notes string, now time.Time) error {
	return s.DB.WithContext(ctx).Model(&models.VideoSlot{}).Where("id = ? AND account_id IS NOT NULL", slotID).
		Updates(map[string]any{"notes": strings.TrimSpace(notes), "updated_at": now}).Error
}
