// Package phonecalls holds the rules of phone assistance: an agent opens a
// record of the call, finds the caller in the master file, checks that the
// caller is that taxpayer with questions built from the record (the agent
// types what the caller says; the record's values are never shown), and
// only then acts: unlocks the online account, asks for its second factors to
// be reset (which a supervisor other than the requester must approve),
// has the IP PIN mailed, or writes notes. Every action carries a reason and
// is written to the audit trail in the same transaction.
package phonecalls

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Line is the number a taxpayer called.
type Line string

const (
	LineIPPIN   Line = "ippin"
	LineGeneral Line = "general"
)

// LineInfo describes a line for the screens.
type LineInfo struct {
	Line   Line
	Label  string
	Number string
}

// Lines are the assistance lines.
var Lines = []LineInfo{
	{LineIPPIN, "IP PIN line", "800-908-4490"},
	{LineGeneral, "General assistance line", "800-829-1040"},
}

// LabelOf names a line.
func LabelOf(l Line) string {
	for _, li := range Lines {
		if li.Line == l {
			return li.Label + " (" + li.Number + ")"
		}
	}
	return string(l)
}

// Errors of the rules.
var (
	ErrNotFound        = errors.New("phonecalls: no such call or request")
	ErrBadLine         = errors.New("phonecalls: choose the line the call came in on")
	ErrEnded           = errors.New("phonecalls: the call has ended")
	ErrNoCaller        = errors.New("phonecalls: find the caller first")
	ErrNotVerified     = errors.New("phonecalls: the caller has not been verified")
	ErrTooManyMisses   = errors.New("phonecalls: too many answers did not match")
	ErrNoReason        = errors.New("phonecalls: a reason is required")
	ErrReasonTooLong   = errors.New("phonecalls: the reason is too long")
	ErrNoAccount       = errors.New("phonecalls: the taxpayer has no online account")
	ErrNotLocked       = errors.New("phonecalls: the account is not locked")
	ErrPendingReset    = errors.New("phonecalls: a reset is already waiting for approval")
	ErrOwnRequest      = errors.New("phonecalls: the requester cannot decide their own request")
	ErrDecided         = errors.New("phonecalls: the request was already decided")
	ErrUnknownQuestion = errors.New("phonecalls: no such question")
	ErrEmptyNote       = errors.New("phonecalls: the note is empty")
)

// MaxMismatches ends the checks of a call: after this many answers that do
// not match, the agent cannot go on and offers the caller other routes.
const MaxMismatches = 3

// MaxNote is the longest note, in characters.
const MaxNote = 2000

// Service applies the rules.
type Service struct {
	DB    *gorm.DB
	Vault *pii.Vault
	Audit *audit.Log
}

// Start opens the record of a call.
func (s *Service) Start(ctx context.Context, agentID uint64, line Line, now time.Time) (*models.PhoneCall, error) {
	if line != LineIPPIN && line != LineGeneral {
		return nil, ErrBadLine
	}
	call := &models.PhoneCall{AgentID: agentID, Line: string(line), StartedAt: now}
	return call, s.DB.WithContext(ctx).Create(call).Error
}

// Call finds one of the agent's own calls; anyone else's is not found.
func (s *Service) Call(ctx context.Context, agentID, callID uint64) (*models.PhoneCall, error) {
	var call models.PhoneCall
	err := s.DB.WithContext(ctx).Where("id = ? AND agent_id = ?", callID, agentID).Take(&call).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &call, err
}

// Recent lists the agent's calls, newest first.
func (s *Service) Recent(ctx context.Context, agentID uint64, limit int) ([]models.PhoneCall, error) {
	var out []models.PhoneCall
	err := s.DB.WithContext(ctx).Where("agent_id = ?", agentID).Order("started_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// End closes the call record.
func (s *Service) End(ctx context.Context, call *models.PhoneCall, now time.Time) error {
	if call.EndedAt != nil {
		return nil
	}
	call.EndedAt = &now
	return s.DB.WithContext(ctx).Model(call).Update("ended_at", now).Error
}

// CallReference names a call in the audit trail's reason.
func CallReference(call *models.PhoneCall) string {
	return "Phone call " + strconv.FormatUint(call.ID, 10)
}

func reasonOf(call *models.PhoneCall, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", ErrNoReason
	}
	full := CallReference(call) + ": " + reason
	if utf8.RuneCountInString(full) > audit.MaxReason {
		return "", ErrReasonTooLong
	}
	return full, nil
}

// MaxReasonFor is how long an action's reason on this call may be.
func MaxReasonFor(call *models.PhoneCall) int {
	return audit.MaxReason - utf8.RuneCountInString(CallReference(call)+": ")
}

// Attach records who the caller says they are, once the agent found them:
// opening the record is audited with the call as the reason, and any
// checks made for another taxpayer are forgotten.
func (s *Service) Attach(ctx context.Context, call *models.PhoneCall, taxpayerID uint64, actor audit.Actor) error {
	if call.EndedAt != nil {
		return ErrEnded
	}
	if _, err := models.FindTaxpayer(ctx, s.DB, taxpayerID); err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return ErrNotFound
		}
		return err
	}
	// Misses count for the whole call, whoever was looked up: otherwise
	// picking the same or another record again would give a caller who
	// guesses wrong fresh tries without end.
	if call.Mismatches >= MaxMismatches {
		return ErrTooManyMisses
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		call.TaxpayerID, call.Checks, call.VerifiedAt = &taxpayerID, "", nil
		if err := tx.Model(call).Select("taxpayer_id", "checks", "verified_at").Updates(call).Error; err != nil {
			return err
		}
		_, err := s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: audit.ActionTaxpayerOpened,
			TaxpayerID: &taxpayerID, Subject: "call:" + strconv.FormatUint(call.ID, 10), Reason: CallReference(call),
			Detail: "caller verification on the " + string(call.Line) + " line"})
		return err
	})
}

// Detach forgets the caller the agent picked, to search again, before the
// caller is verified. The misses so far stay with the call.
func (s *Service) Detach(ctx context.Context, call *models.PhoneCall) error {
	if call.EndedAt != nil {
		return ErrEnded
	}
	if call.VerifiedAt != nil {
		return nil
	}
	call.TaxpayerID, call.Checks = nil, ""
	return s.DB.WithContext(ctx).Model(call).Select("taxpayer_id", "checks").Updates(call).Error
}

// ready checks that an action may be taken on the call.
func ready(call *models.PhoneCall) error {
	switch {
	case call.EndedAt != nil:
		return ErrEnded
	case call.TaxpayerID == nil:
		return ErrNoCaller
	case call.VerifiedAt == nil:
		return ErrNotVerified
	}
	return nil
}

// AddNote writes a note on the call. Notes stay with the call, not in the
// audit trail (which records only that a note was written), because the
// agent may have written down what the caller said.
func (s *Service) AddNote(ctx context.Context, call *models.PhoneCall, actor audit.Actor, text string, now time.Time) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return ErrEmptyNote
	}
	if utf8.RuneCountInString(text) > MaxNote {
		return ErrReasonTooLong
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&models.CallNote{CallID: call.ID, AgentID: call.AgentID, Text: text, CreatedAt: now}).Error; err != nil {
			return err
		}
		_, err := s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: audit.ActionCallNoteAdded, TaxpayerID: call.TaxpayerID,
			Subject: "call:" + strconv.FormatUint(call.ID, 10), Reason: CallReference(call)})
		return err
	})
}

// Notes lists the call's notes, oldest first.
func (s *Service) Notes(ctx context.Context, callID uint64) ([]models.CallNote, error) {
	var out []models.CallNote
	err := s.DB.WithContext(ctx).Where("call_id = ?", callID).Order("id").Find(&out).Error
	return out, err
}

// AccountOf is the online account linked to the call's taxpayer.
func (s *Service) AccountOf(ctx context.Context, taxpayerID uint64) (*models.Account, error) {
	var acct models.Account
	err := s.DB.WithContext(ctx).Where("taxpayer_id = ?", taxpayerID).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoAccount
	}
	return &acct, err
}

// Unlock lifts the lock on the caller's online account and forgets its
// failed tries. The caller then signs in with their password and factor.
func (s *Service) Unlock(ctx context.Context, call *models.PhoneCall, actor audit.Actor, reason string, now time.Time) (*models.Account, error) {
	if err := ready(call); err != nil {
		return nil, err
	}
	full, err := reasonOf(call, reason)
	if err != nil {
		return nil, err
	}
	acct, err := s.AccountOf(ctx, *call.TaxpayerID)
	if err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Account{}).Where("id = ? AND locked_at IS NOT NULL", acct.ID).
			Updates(map[string]any{"locked_at": nil, "consecutive_failures": 0, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotLocked
		}
		_, err := s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: audit.ActionAccountUnlocked,
			TaxpayerID: call.TaxpayerID, AccountID: &acct.ID, Subject: "account:" + strconv.FormatUint(acct.ID, 10), Reason: full})
		return err
	})
	if err != nil {
		return nil, err
	}
	acct.LockedAt, acct.ConsecutiveFailures = nil, 0
	return acct, nil
}

// RecordIPPINMailed writes to the trail that the agent had the caller's IP
// PIN mailed, in tx: the transaction that queues the letter.
func (s *Service) RecordIPPINMailed(ctx context.Context, tx *gorm.DB, call *models.PhoneCall, actor audit.Actor, reason string) error {
	full, err := reasonOf(call, reason)
	if err != nil {
		return err
	}
	_, err = s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: audit.ActionIPPINMailed, TaxpayerID: call.TaxpayerID,
		Subject: "call:" + strconv.FormatUint(call.ID, 10), Reason: full, Detail: "letter to the address of record"})
	return err
}

// CheckIPPINMail says whether an IP PIN may be mailed for the call now.
func CheckIPPINMail(call *models.PhoneCall, reason string) error {
	if err := ready(call); err != nil {
		return err
	}
	_, err := reasonOf(call, reason)
	return err
}

// Reset statuses.
const (
	ResetPending  = "pending"
	ResetApproved = "approved"
	ResetDeclined = "declined"
)

// RequestReset asks for the caller's second factors to be removed. Nothing
// changes until a supervisor other than the requester approves.
func (s *Service) RequestReset(ctx context.Context, call *models.PhoneCall, actor audit.Actor, reason string, now time.Time) (*models.FactorReset, error) {
	if err := ready(call); err != nil {
		return nil, err
	}
	full, err := reasonOf(call, reason)
	if err != nil {
		return nil, err
	}
	acct, err := s.AccountOf(ctx, *call.TaxpayerID)
	if err != nil {
		return nil, err
	}
	req := &models.FactorReset{AccountID: acct.ID, TaxpayerID: *call.TaxpayerID, CallID: call.ID,
		RequestedBy: call.AgentID, Reason: strings.TrimSpace(reason), RequestedAt: now, Status: ResetPending}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.FactorReset{}).Where("account_id = ? AND status = ?", acct.ID, ResetPending).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrPendingReset
		}
		if err := tx.Create(req).Error; err != nil {
			return err
		}
		_, err := s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: audit.ActionResetRequested,
			TaxpayerID: call.TaxpayerID, AccountID: &acct.ID, Subject: "factor_reset:" + strconv.FormatUint(req.ID, 10), Reason: full})
		return err
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// Pending lists the resets waiting for a supervisor, oldest first.
func (s *Service) Pending(ctx context.Context) ([]models.FactorReset, error) {
	var out []models.FactorReset
	err := s.DB.WithContext(ctx).Where("status = ?", ResetPending).Order("requested_at, id").Find(&out).Error
	return out, err
}

// Decide approves or declines a reset as a supervisor (the two-person
// rule: never the requester). Approval removes every second factor of the
// account, with their backup codes, and ends its sessions, so whoever holds
// a lost phone is signed out too; the holder then signs in with their
// password and sets up a new factor. It returns the account, to be told.
func (s *Service) Decide(ctx context.Context, id uint64, approve bool, decider audit.Actor, reason string, now time.Time) (*models.Account, *models.FactorReset, error) {
	if decider.AccountID == nil {
		return nil, nil, ErrOwnRequest
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, nil, ErrNoReason
	}
	if utf8.RuneCountInString(reason) > audit.MaxReason {
		return nil, nil, ErrReasonTooLong
	}
	var req models.FactorReset
	var acct models.Account
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Take(&req, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if req.RequestedBy == *decider.AccountID {
			return ErrOwnRequest
		}
		status := ResetDeclined
		if approve {
			status = ResetApproved
		}
		res := tx.Model(&models.FactorReset{}).Where("id = ? AND status = ?", id, ResetPending).
			Updates(map[string]any{"status": status, "decided_by": *decider.AccountID, "decided_at": now, "decision": reason})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrDecided
		}
		req.Status, req.DecidedBy, req.DecidedAt, req.Decision = status, decider.AccountID, &now, reason
		if err := tx.Take(&acct, req.AccountID).Error; err != nil {
			return err
		}
		action := audit.ActionResetDeclined
		if approve {
			action = audit.ActionSignInMethodsReset
			factors := tx.Model(&models.SecondFactor{}).Select("id").Where("account_id = ?", acct.ID)
			if err := tx.Where("factor_id IN (?)", factors).Delete(&models.BackupCode{}).Error; err != nil {
				return err
			}
			if err := tx.Where("account_id = ?", acct.ID).Delete(&models.SecondFactor{}).Error; err != nil {
				return err
			}
			if err := tx.Where("account_id = ?", acct.ID).Delete(&models.Session{}).Error; err != nil {
				return err
			}
		}
		_, err = s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: decider, Action: action, TaxpayerID: &req.TaxpayerID,
			AccountID: &acct.ID, Subject: "factor_reset:" + strconv.FormatUint(req.ID, 10),
			Reason: "Phone call " + strconv.FormatUint(req.CallID, 10) + " (approval)", Detail: reason})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &acct, &req, nil
}
