package proofing

import (
	"slices"
	"time"

	"github.com/taxportal/portal/models"
)

// String is the step's slug, as used in URLs and logs ("ssn", "video-call").
func (s Step) String() string {
	if s == StepExpired {
		return "expired"
	}
	if r, ok := rules[s]; ok {
		return r.slug
	}
	return "none"
}

// Title is the step's page heading.
func (s Step) Title() string {
	if s == StepExpired {
		return "Your verification has expired"
	}
	return rules[s].title
}

// StepBySlug is the step a URL names.
func StepBySlug(slug string) (Step, bool) {
	if slug == StepExpired.String() {
		return StepExpired, true
	}
	for _, s := range order {
		if s.String() == slug {
			return s, true
		}
	}
	return 0, false
}

// Segment is one label of the USWDS step indicator; it covers one or more
// steps, so the indicator stays short enough for a phone.
type Segment struct {
	Label string
	Steps []Step
}

// segments are the indicator's labels for each route. Before a method is
// chosen, the online route's are shown: most people take it.
var segments = map[models.VerificationMethod][]Segment{
	models.MethodOnline: {
		{"Getting started", []Step{StepConsent, StepMethod}},
		{"Your ID", []Step{StepIDType, StepDocuments}},
		{"Your information", []Step{StepSSN, StepInfo, StepMatch}},
		{"Phone or mail", []Step{StepConfirm}},
		{"Document review", []Step{StepReview}},
		{"Secure your account", []Step{StepPassword}},
	},
	models.MethodVideo: {
		{"Getting started", []Step{StepConsent, StepMethod}},
		{"Your information", []Step{StepSSN, StepInfo, StepMatch}},
		{"Video call", []Step{StepBookCall}},
		{"Secure your account", []Step{StepPassword}},
	},
	models.MethodInPerson: {
		{"Getting started", []Step{StepConsent, StepMethod}},
		{"Visit an office", []Step{StepInPerson}},
	},
}

// Segments are the step indicator's labels for a route.
func Segments(m models.VerificationMethod) []Segment {
	if !validMethod(m) {
		m = models.MethodOnline
	}
	return segments[m]
}

// SegmentState is how the indicator draws a segment.
type SegmentState int

const (
	SegmentUpcoming SegmentState = iota // plain
	SegmentCurrent                      // usa-step-indicator__segment--current
	SegmentComplete                     // usa-step-indicator__segment--complete
)

// IndicatorItem is one segment as the page draws it.
type IndicatorItem struct {
	Label string
	State SegmentState
}

// Indicator is the step indicator for an attempt, showing where step (the
// page being shown, which may be an earlier one being edited) sits in the
// route. It is empty for StepExpired; at StepDone every segment is complete.
func Indicator(v *models.IdentityVerification, step Step, now time.Time) []IndicatorItem {
	if step == StepExpired || Current(v, now) == StepExpired {
		return nil
	}
	route := Route(v.Method)
	if !validMethod(v.Method) {
		route = Route(models.MethodOnline)
	}
	at := slices.Index(route, step)
	segs := Segments(v.Method)
	out := make([]IndicatorItem, len(segs))
	for i, seg := range segs {
		out[i].Label = seg.Label
		first := slices.Index(route, seg.Steps[0])
		last := slices.Index(route, seg.Steps[len(seg.Steps)-1])
		switch {
		case at > last:
			out[i].State = SegmentComplete
		case at >= first:
			out[i].State = SegmentCurrent
		}
	}
	return out
}
