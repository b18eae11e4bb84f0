package phonecalls

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/proofing"
)

// Query is what the agent searches the master file with: a last name
// (first name optional) and the SSN's last four digits, or a full SSN.
type Query struct {
	FirstName, LastName, Last4, SSN string
}

// ErrQuery means the search needs a full SSN, or a last name and four digits.
var ErrQuery = errors.New("phonecalls: enter a full SSN, or a last name and the SSN's last 4 digits")

// MaxResults bounds a name search.
const MaxResults = 20

// Find searches the master file. A full SSN goes through the keyed index;
// a name with the last four digits uses the name index, trying the ways a
// name is commonly capitalised so the index still serves.
func Find(ctx context.Context, db *gorm.DB, vault *pii.Vault, q Query) ([]models.Taxpayer, error) {
	if digits := onlyDigits(q.SSN); q.SSN != "" {
		ssn, err := pii.ParseSSN(digits)
		if err != nil {
			return nil, ErrQuery
		}
		tp, err := models.FindTaxpayerBySSN(ctx, db, vault, ssn)
		if errors.Is(err, models.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []models.Taxpayer{*tp}, nil
	}
	last, last4 := strings.TrimSpace(q.LastName), onlyDigits(q.Last4)
	if last == "" || len(last4) != 4 || len(q.Last4) > 11 {
		return nil, ErrQuery
	}
	variants := map[string]bool{last: true, strings.ToUpper(last): true, strings.ToLower(last): true, titleCase(last): true}
	names := make([]string, 0, len(variants))
	for v := range variants {
		names = append(names, v)
	}
	var found []models.Taxpayer
	err := db.WithContext(ctx).Where("last_name IN ? AND ssn_last4 = ?", names, last4).Order("id").Limit(200).Find(&found).Error
	if err != nil {
		return nil, err
	}
	first := proofing.NormalizeName(q.FirstName)
	out := found[:0]
	for _, tp := range found {
		if first == "" || strings.HasPrefix(proofing.NormalizeName(tp.FirstName), first) {
			out = append(out, tp)
		}
	}
	if len(out) > MaxResults {
		out = out[:MaxResults]
	}
	return out, nil
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// titleCase capitalises each word and each part after a hyphen or an
// apostrophe: "o'neil-smith" becomes "O'Neil-Smith".
func titleCase(s string) string {
	rs := []rune(strings.ToLower(s))
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		up = !unicode.IsLetter(r)
	}
	return string(rs)
}

// Question is one caller-verification question.
type Question struct {
	ID     string
	Prompt string // what the agent asks
	Hint   string // how to type the answer
	// Shown is what the screen may show of the record's answer, masked.
	Shown string
}

// Question ids.
const (
	QuestionDOB    = "dob"
	QuestionStreet = "street"
	QuestionZIP    = "zip"
	QuestionPhone  = "phone"
)

// Questions builds the checklist from the taxpayer's record. Date of
// birth, street and ZIP must all match for the caller to count as
// verified; the phone number's last digits are asked when the record has
// a phone, as a further check.
func Questions(tp *models.Taxpayer) []Question {
	qs := []Question{
		{ID: QuestionDOB, Prompt: "What is your date of birth?", Hint: "As the caller says it, for example 07/04/1976.", Shown: ""},
		{ID: QuestionStreet, Prompt: "What is the street address we have on file for you?", Hint: "Number and street, for example 100 Main St.", Shown: maskStreet(tp.Street1)},
		{ID: QuestionZIP, Prompt: "What is the ZIP code of that address?", Hint: "5 digits.", Shown: mask(tp.ZIP, 2)},
	}
	if tp.PhoneLast4 != "" {
		qs = append(qs, Question{ID: QuestionPhone, Prompt: "What phone number do we have on file for you?", Hint: "At least the last 4 digits.", Shown: "(XXX) XXX-XX" + tp.PhoneLast4[2:]})
	}
	return qs
}

// required are the questions that must all match.
var required = []string{QuestionDOB, QuestionStreet, QuestionZIP}

// mask keeps the first keep characters.
func mask(s string, keep int) string {
	r := []rune(s)
	if len(r) <= keep {
		return strings.Repeat("•", len(r))
	}
	return string(r[:keep]) + strings.Repeat("•", len(r)-keep)
}

// maskStreet shows the house number's first digit and the street's
// first letter: enough to hear a wrong answer coming, not to give one.
func maskStreet(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = mask(w, 1)
	}
	return strings.Join(words, " ")
}

// Results reads the call's answers: question id to "match" or "no_match".
func Results(call *models.PhoneCall) map[string]string {
	out := map[string]string{}
	for _, pair := range strings.Split(call.Checks, ",") {
		if k, v, ok := strings.Cut(pair, "="); ok {
			out[k] = v
		}
	}
	return out
}

func encodeResults(m map[string]string) string {
	var parts []string
	for _, q := range []string{QuestionDOB, QuestionStreet, QuestionZIP, QuestionPhone} {
		if v, ok := m[q]; ok {
			parts = append(parts, q+"="+v)
		}
	}
	return strings.Join(parts, ",")
}

// Result values.
const (
	Match   = "match"
	NoMatch = "no_match"
)

// Check compares what the caller said with the record and records only
// whether it matched. When every required answer matched, the caller is
// verified; after MaxMismatches misses, no more checks are taken.
func (s *Service) Check(ctx context.Context, call *models.PhoneCall, question, answer string, actor audit.Actor, now time.Time) (bool, error) {
	if call.EndedAt != nil {
		return false, ErrEnded
	}
	if call.TaxpayerID == nil {
		return false, ErrNoCaller
	}
	if call.VerifiedAt != nil {
		return true, nil
	}
	if call.Mismatches >= MaxMismatches {
		return false, ErrTooManyMisses
	}
	tp, err := models.FindTaxpayer(ctx, s.DB, *call.TaxpayerID)
	if err != nil {
		return false, err
	}
	matched, err := s.compare(tp, question, answer)
	if err != nil {
		return false, err
	}
	results := Results(call)
	if matched {
		results[question] = Match
	} else {
		results[question] = NoMatch
		call.Mismatches++
	}
	call.Checks = encodeResults(results)
	verified := true
	for _, q := range required {
		verified = verified && results[q] == Match
	}
	if results[QuestionPhone] == NoMatch {
		verified = false
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if verified {
			call.VerifiedAt = &now
		}
		// A miss is added in SQL, so two tabs answering at once both count.
		updates := map[string]any{"checks": call.Checks, "verified_at": call.VerifiedAt}
		if !matched {
			updates["mismatches"] = gorm.Expr("mismatches + 1")
		}
		if err := tx.Model(call).Updates(updates).Error; err != nil {
			return err
		}
		if !verified {
			return nil
		}
		_, err := s.Audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: audit.ActionCallerVerified, TaxpayerID: call.TaxpayerID,
			Subject: "call:" + strconv.FormatUint(call.ID, 10), Reason: CallReference(call)})
		return err
	})
	return matched, err
}

func (s *Service) compare(tp *models.Taxpayer, question, answer string) (bool, error) {
	answer = strings.TrimSpace(answer)
	switch question {
	case QuestionDOB:
		data, err := tp.Unseal(s.Vault)
		if err != nil {
			return false, err
		}
		d, ok := parseDate(answer)
		return ok && d.Equal(data.DOB), nil
	case QuestionStreet:
		a, r := proofing.NormalizeAddressLine(answer), proofing.NormalizeAddressLine(tp.Street1)
		return a != "" && strings.ReplaceAll(a, " ", "") == strings.ReplaceAll(r, " ", ""), nil
	case QuestionZIP:
		a := onlyDigits(answer)
		return len(a) >= 5 && a[:5] == onlyDigits(tp.ZIP)[:min(5, len(onlyDigits(tp.ZIP)))], nil
	case QuestionPhone:
		a := onlyDigits(answer)
		return tp.PhoneLast4 != "" && len(a) >= 4 && strings.HasSuffix(a, tp.PhoneLast4), nil
	}
	return false, ErrUnknownQuestion
}

// parseDate reads a date as agents type it: 03/14/1986, 3-14-1986,
// 1986-03-14 or 03141986.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"01/02/2006", "1/2/2006", "01-02-2006", "1-2-2006", "2006-01-02", "01022006", "January 2, 2006", "Jan 2, 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
