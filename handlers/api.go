package handlers

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/pii"
)

// The e-file check API: authorised tax software asks whether a return's
// IP PINs are right before it is accepted. It speaks JSON only, with an
// API key instead of a session, so it needs no CSRF token (see skipCSRF).

// apiPrefix is where the API lives; skipCSRF exempts it.
const apiPrefix = "/api/"

//go:embed api_openapi.json
var openAPIDocument []byte

// apiBodyLimit bounds a check request: a few short fields.
const apiBodyLimit = 8 << 10

// checkRequest is the body of POST /api/v1/ip-pin/check. Pointers tell a
// field left out from one sent empty.
type checkRequest struct {
	TaxYear      *int    `json:"tax_year"`
	PrimarySSN   *string `json:"primary_ssn"`
	PrimaryIPPIN *string `json:"primary_ip_pin"`
	SpouseSSN    *string `json:"spouse_ssn"`
	SpouseIPPIN  *string `json:"spouse_ip_pin"`
}

// checkReject is one broken rule in the answer.
type checkReject struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// checkResponse is the answer to a check.
type checkResponse struct {
	Result  ippin.Outcome `json:"result"`
	Rejects []checkReject `json:"rejects"`
	// RetryAt and RetryAfter are set when Result is "locked".
	RetryAt    *time.Time `json:"retry_at,omitempty"`
	RetryAfter int        `json:"retry_after_seconds,omitempty"`
}

// apiError is every error the API answers with.
type apiError struct {
	Error   string            `json:"error"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// rejectMessages explain each reject code to the tax software's user.
var rejectMessages = map[ippin.RejectCode]string{
	ippin.PrimaryPINMismatch: "The primary taxpayer's IP PIN does not match the one issued for this calendar year.",
	ippin.PrimaryPINMissing:  "The primary taxpayer has an IP PIN for this calendar year, and the return does not carry it.",
	ippin.SpousePINMissing:   "The spouse has an IP PIN for this calendar year, and the return does not carry it.",
	ippin.SpousePINMismatch:  "The spouse's IP PIN does not match the one issued for this calendar year.",
}

// apiCheck answers POST /api/v1/ip-pin/check. Order: the key (401), the
// key's rate (429), the body (400), then the check itself. It logs one line
// per call with the key's prefix and the outcome, never an SSN or a PIN.
func (a *App) apiCheck(c echo.Context) error {
	ctx := c.Request().Context()
	logCall := func(outcome string, attrs ...slog.Attr) {
		attrs = append([]slog.Attr{slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("outcome", outcome)}, attrs...)
		a.log.LogAttrs(ctx, slog.LevelInfo, "ip pin check", attrs...)
	}
	secret, ok := bearer(c.Request().Header.Get(echo.HeaderAuthorization))
	if !ok {
		logCall("no_key")
		return unauthorized(c, "Send your API key as Authorization: Bearer <key>.")
	}
	key, err := a.ippin.Authenticate(ctx, secret)
	switch {
	case errors.Is(err, ippin.ErrBadKey):
		logCall("bad_key")
		return unauthorized(c, "The API key is not recognised.")
	case errors.Is(err, ippin.ErrKeyRevoked):
		logCall("revoked_key")
		return unauthorized(c, "The API key has been revoked.")
	case err != nil:
		return a.apiFailure(c, err)
	}
	keyAttr := slog.String("key", key.Prefix)
	d, err := a.ippin.AllowCall(ctx, key)
	if err != nil {
		return a.apiFailure(c, err)
	}
	if !d.Allowed {
		wait := retryAfter(d.RetryAt, a.now())
		logCall("rate_limited", keyAttr)
		c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
		return c.JSON(http.StatusTooManyRequests, apiError{Error: "rate_limited",
			Message: "Too many checks with this key. Wait " + strconv.Itoa(wait) + " seconds and try again."})
	}
	ret, fields, msg := a.readCheck(c)
	if fields != nil || msg != "" {
		logCall("bad_request", keyAttr)
		if msg == "" {
			msg = "Some fields are missing or not valid."
		}
		return c.JSON(http.StatusBadRequest, apiError{Error: "invalid_request", Message: msg, Fields: fields})
	}
	res, err := a.ippin.Check(ctx, key, ret)
	if errors.Is(err, ippin.ErrTaxYear) {
		logCall("bad_request", keyAttr)
		return c.JSON(http.StatusBadRequest, apiError{Error: "invalid_request", Message: "Some fields are missing or not valid.",
			Fields: map[string]string{"tax_year": "The tax year cannot be later than the current calendar year."}})
	}
	if err != nil {
		return a.apiFailure(c, err)
	}
	out := checkResponse{Result: res.Outcome, Rejects: []checkReject{}}
	codes := make([]string, 0, len(res.Rejects))
	for _, r := range res.Rejects {
		out.Rejects = append(out.Rejects, checkReject{Code: string(r), Message: rejectMessages[r]})
		codes = append(codes, string(r))
	}
	if res.Outcome == ippin.Locked {
		at := res.RetryAt.UTC()
		out.RetryAt, out.RetryAfter = &at, retryAfter(at, a.now())
	}
	a.sendAlerts(c, res.Alerts)
	logCall(string(res.Outcome), keyAttr, slog.Int("tax_year", ret.TaxYear), slog.Bool("spouse", ret.Spouse != nil),
		slog.String("rejects", strings.Join(codes, ",")), slog.Int("alerts", len(res.Alerts)))
	return c.JSON(http.StatusOK, out)
}

// readCheck decodes and validates a check request. fields holds a message
// per bad field; msg a message about the body as a whole.
func (a *App) readCheck(c echo.Context) (ret ippin.Return, fields map[string]string, msg string) {
	if ct := c.Request().Header.Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return ret, nil, "Send the request as JSON, with Content-Type: application/json."
	}
	dec := json.NewDecoder(io.LimitReader(c.Request().Body, apiBodyLimit))
	dec.DisallowUnknownFields()
	var req checkRequest
	if err := dec.Decode(&req); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return ret, map[string]string{typeErr.Field: "Must be a " + jsonKind(typeErr.Type.Kind().String()) + "."}, ""
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return ret, map[string]string{name: "Unknown field."}, ""
		}
		return ret, nil, "The body is not a valid JSON object."
	}
	fields = map[string]string{}
	switch {
	case req.TaxYear == nil:
		fields["tax_year"] = "Required: the tax year the return is for, such as 2025."
	case *req.TaxYear < 1900 || *req.TaxYear > math.MaxInt16:
		fields["tax_year"] = "Must be a tax year such as 2025."
	default:
		ret.TaxYear = *req.TaxYear
	}
	ret.Primary, _ = readFiler(fields, "primary", req.PrimarySSN, req.PrimaryIPPIN)
	if req.SpouseSSN != nil || req.SpouseIPPIN != nil {
		if s, ok := readFiler(fields, "spouse", req.SpouseSSN, req.SpouseIPPIN); ok {
			ret.Spouse = &s
		}
	}
	if len(fields) > 0 {
		return ret, fields, ""
	}
	return ret, nil, ""
}

// readFiler validates one filer's SSN and PIN into fields. A PIN may be
// left out or empty (the return carries none); when sent it must be six
// digits.
func readFiler(fields map[string]string, who string, ssn, pin *string) (ippin.Filer, bool) {
	var f ippin.Filer
	ok := true
	switch {
	case ssn == nil || strings.TrimSpace(*ssn) == "":
		fields[who+"_ssn"] = "Required: nine digits, such as 123-45-6789."
		ok = false
	default:
		n, err := pii.ParseSSN(*ssn)
		if err != nil {
			fields[who+"_ssn"] = "Must be nine digits, such as 123-45-6789."
			ok = false
		}
		f.SSN = n
	}
	if pin != nil {
		p := strings.TrimSpace(*pin)
		if p != "" && !sixDigits(p) {
			fields[who+"_ip_pin"] = "Must be six digits, or empty when the return carries none."
			ok = false
		}
		f.PIN = p
	}
	return f, ok
}

func sixDigits(s string) bool {
	if len(s) != ippin.PINDigits {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "int", "int64", "int32":
		return "whole number"
	}
	return k
}

// sendAlerts e-mails each taxpayer whose return was stopped, when the
// check says to (one message per burst). The alert is recorded by the
// check's own transaction; the e-mail is queued right after, and a failure
// to queue it does not change the answer: the dashboard shows the alert.
func (a *App) sendAlerts(c echo.Context, alerts []ippin.Alert) {
	ctx := c.Request().Context()
	for _, al := range alerts {
		if !al.Notify || al.Email == "" {
			continue
		}
		a.sendMail(ctx, a.db, "a stopped-return alert", a.accounts.Brand.ReturnStopped(al.Email, al.Message(), al.TaxYear,
			a.absolute(a.reverse(RouteIPPIN)), a.now(), a.cfg.TimeZone))
	}
}

// apiOpenAPI serves the hand-written OpenAPI document of the API.
func (a *App) apiOpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/json", openAPIDocument)
}

// bearer takes the key out of an Authorization header.
func bearer(h string) (string, bool) {
	scheme, key, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) == "" {
		return "", false
	}
	return strings.TrimSpace(key), true
}

func unauthorized(c echo.Context, msg string) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="ip-pin-check"`)
	return c.JSON(http.StatusUnauthorized, apiError{Error: "unauthorized", Message: msg})
}

// apiFailure answers JSON for a failure on our side, logged with the
// request id (never with the body).
func (a *App) apiFailure(c echo.Context, err error) error {
	a.log.Error("ip pin check failed", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		slog.String("error", err.Error()))
	return c.JSON(http.StatusInternalServerError, apiError{Error: "server_error",
		Message: "Something went wrong on our side. Try again; quote the X-Request-Id header if it keeps happening."})
}

// retryAfter is the whole seconds until t, at least 1.
func retryAfter(t, now time.Time) int {
	return max(1, int(math.Ceil(t.Sub(now).Seconds())))
}
