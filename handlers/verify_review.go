package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views/verify"
)

// The pages that wait on someone else: the document review, the video
// call, the office visit.

// throughputWindow is how far back finished reviews are counted to
// estimate the wait: long enough to smooth a quiet hour, short enough to
// follow a busy season.
const throughputWindow = 24 * time.Hour

// reviewPoll is how often the waiting page asks whether a decision came.
const reviewPoll = "every 30s"

func (a *App) showReview(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	if vs.v.DocumentsQueuedAt == nil {
		if done, err := a.submitDocuments(c, vs); done || err != nil {
			return err
		}
	}
	if vs.v.DocumentsApprovedAt != nil {
		return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
	}
	position, err := a.queuePosition(ctx, vs.v)
	if err != nil {
		return err
	}
	decided, err := a.recentDecisions(ctx, vs.now)
	if err != nil {
		return err
	}
	v := verify.ReviewView{Frame: a.verifyFrame(vs), Submitted: a.relativeTime(*vs.v.DocumentsQueuedAt, vs.now),
		Position: position, Wait: waitEstimate(position, decided), StatusURL: a.stepURL(proofing.StepReview), Every: reviewPoll}
	v.OtherWays = a.otherWays([]proofing.Alternative{proofing.AlternativeVideo, proofing.AlternativeInPerson})
	return render(c, http.StatusOK, verify.Review(a.verifyPageOf(c, vs, "We’re checking your ID"), v), verify.ReviewStatus(v))
}

// submitDocuments hands the set to the document check when the person
// first reaches the review. It reports done when it has answered.
func (a *App) submitDocuments(c echo.Context, vs *verifyState) (bool, error) {
	ctx := c.Request().Context()
	out, err := a.verifier.Submit(ctx, vs.v.ID)
	var missing *documents.MissingError
	if errors.As(err, &missing) {
		// A photo was replaced or lost since: the set must be completed.
		return true, redirect(c, a.stepURL(proofing.StepDocuments))
	}
	if err != nil {
		return true, err
	}
	if err := a.flow.DocumentsQueued(vs.v, vs.now); err != nil {
		return true, a.flowError(c, vs, err)
	}
	if out.Decided {
		if out.Approved {
			err = a.flow.ApproveDocuments(vs.v, vs.now)
		} else if err = a.flow.RejectDocuments(vs.v, rejectionText(out.Reasons), vs.now); err == nil {
			_, err = a.limiter.Fail(ctx, proofing.KindDocuments, vs.acct.ID, vs.now)
		}
		if err != nil {
			return true, a.flowError(c, vs, err)
		}
	}
	if err := a.db.WithContext(ctx).Save(vs.v).Error; err != nil {
		return true, err
	}
	a.auditVerification(c, vs, "verification.photos_queued", audit.OutcomeOK, "")
	if out.Decided {
		return true, redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
	}
	return false, nil
}

// rejectionText puts a verifier's reasons into one message, side by side.
func rejectionText(reasons map[models.DocumentSide]string) string {
	var parts []string
	for _, side := range []models.DocumentSide{models.SideFront, models.SideBack, models.SideSelfie} {
		if r := reasons[side]; r != "" {
			parts = append(parts, strings.ToUpper(sideNames[side][:1])+sideNames[side][1:]+": "+r)
		}
	}
	return strings.Join(parts, " ")
}

// pendingReviews are the sets waiting for a decision.
func (a *App) pendingReviews(ctx context.Context, now time.Time) *gorm.DB {
	return a.db.WithContext(ctx).Model(&models.IdentityVerification{}).
		Where("documents_queued_at IS NOT NULL AND documents_approved_at IS NULL AND documents_rejected = ''").
		Where("completed_at IS NULL AND expires_at > ?", now)
}

// queuePosition is 1 for the set next in line.
func (a *App) queuePosition(ctx context.Context, v *models.IdentityVerification) (int, error) {
	var ahead int64
	err := a.pendingReviews(ctx, a.now()).
		Where("documents_queued_at < ? OR (documents_queued_at = ? AND id < ?)", v.DocumentsQueuedAt, v.DocumentsQueuedAt, v.ID).
		Count(&ahead).Error
	return int(ahead) + 1, err
}

// recentDecisions counts the sets decided within throughputWindow.
func (a *App) recentDecisions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := a.db.WithContext(ctx).Model(&models.IdentityVerification{}).
		Where("documents_decided_at > ?", now.Add(-throughputWindow)).Count(&n).Error
	return int(n), err
}

// waitEstimate turns a place in line and the recent pace of reviews into
// words. Without recent reviews there is no pace to go by, and it says so
// rather than guess.
func waitEstimate(position, decided int) string {
	if decided == 0 {
		return "We can’t estimate the wait right now: no reviews were finished in the last day. We’ll email you as soon as yours is done."
	}
	perHour := float64(decided) / throughputWindow.Hours()
	hours := float64(position) / perHour
	var span string
	switch {
	case hours < 1:
		span = fmt.Sprintf("about %d minutes", max(5, int(math.Ceil(hours*60/5)*5)))
	case hours < 48:
		span = fmt.Sprintf("about %d hours", int(math.Ceil(hours)))
	default:
		span = fmt.Sprintf("about %d days", int(math.Ceil(hours/24)))
	}
	return fmt.Sprintf("Estimated wait: %s, based on the %d reviews finished in the last 24 hours.", span, decided)
}

// relativeTime says when something happened, as a person reads it.
func (a *App) relativeTime(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	}
	return "on " + t.In(a.cfg.TimeZone).Format("January 2 at 3:04 PM")
}

func (a *App) showInPerson(c echo.Context, vs *verifyState) error {
	if vs.v.ReferenceCode == "" {
		if err := a.flow.IssueReference(vs.v, proofing.NewReferenceCode(), vs.now); err != nil {
			return a.flowError(c, vs, err)
		}
		if err := a.db.WithContext(c.Request().Context()).Save(vs.v).Error; err != nil {
			return err
		}
		a.auditVerification(c, vs, "verification.reference_issued", audit.OutcomeOK, "")
	}
	v := verify.InPersonView{Frame: a.verifyFrame(vs), Code: vs.v.ReferenceCode,
		BarcodeURL: a.reverse(RouteVerifyBarcode), Expires: vs.v.ExpiresAt.In(a.cfg.TimeZone).Format("January 2, 2006"),
		FindURL: a.reverse(RouteHelpArticle, "verify-in-person")}
	return render(c, http.StatusOK, verify.InPerson(a.verifyPageOf(c, vs, "Verify in person"), v), nil)
}

// referenceBarcode draws the in-person reference code as a Code 128
// barcode, the symbology office scanners read.
func (a *App) referenceBarcode(c echo.Context) error {
	v, err := a.latestAttempt(c.Request().Context(), account(c).ID)
	if err != nil {
		return err
	}
	if v == nil || v.ReferenceCode == "" {
		return echo.ErrNotFound
	}
	code, err := code128.Encode(v.ReferenceCode)
	if err != nil {
		return err
	}
	scaled, err := barcode.Scale(code, 640, 160)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, scaled); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/png", buf.Bytes())
}
