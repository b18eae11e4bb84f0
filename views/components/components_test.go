package components_test

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/forms"
)

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestErrorSummaryLinksEachProblemToItsField(t *testing.T) {
	var errs forms.Errors
	errs.Add("email", "Enter your e-mail address")
	errs.Add("password", "Enter a password of at least 12 characters")
	errs.Add("email", "a second message for one field is ignored")
	doc := render(t, components.ErrorSummary(errs))
	summary := doc.Find(`[data-testid="error-summary"]`)
	if role, _ := summary.Attr("role"); role != "alert" {
		t.Errorf("role %q", role)
	}
	if h := strings.TrimSpace(summary.Find("h2").Text()); h != "There are two problems" {
		t.Errorf("heading %q", h)
	}
	links := summary.Find("a")
	if links.Length() != 2 {
		t.Fatalf("%d links", links.Length())
	}
	if href, _ := links.Eq(1).Attr("href"); href != "#password" {
		t.Errorf("second link goes to %q", href)
	}
	if render(t, components.ErrorSummary(forms.Errors{})).Find("*").Length() > 3 {
		t.Error("an empty summary rendered something")
	}
}

func TestTextInputTiesHintAndErrorToTheField(t *testing.T) {
	doc := render(t, components.TextInput(forms.Field{
		ID: "ssn", Name: "ssn", Label: "Social Security number", Hint: "9 digits",
		Value: "987-65", Error: "Enter all 9 digits", InputMode: "numeric",
	}))
	input := doc.Find("input#ssn")
	if v, _ := input.Attr("aria-describedby"); v != "ssn-hint ssn-error" {
		t.Errorf("aria-describedby %q", v)
	}
	if v, _ := input.Attr("aria-invalid"); v != "true" {
		t.Error("not marked invalid")
	}
	if v, _ := input.Attr("value"); v != "987-65" {
		t.Errorf("the typed value was lost: %q", v)
	}
	if v, _ := doc.Find("label").Attr("for"); v != "ssn" {
		t.Errorf("label for %q", v)
	}
	if doc.Find(".usa-form-group--error").Length() != 1 {
		t.Error("error styling missing")
	}
	clean := render(t, components.TextInput(forms.Field{ID: "city", Name: "city", Label: "City"}))
	if _, has := clean.Find("input").Attr("aria-describedby"); has {
		t.Error("aria-describedby on a field with no hint or error")
	}
}

func TestAlertsAnnounceProblemsAssertively(t *testing.T) {
	if role, _ := render(t, components.Alert(components.AlertError, "Stop")).Find(".usa-alert").Attr("role"); role != "alert" {
		t.Errorf("error alert role %q", role)
	}
	if role, _ := render(t, components.Alert(components.AlertInfo, "FYI")).Find(".usa-alert").Attr("role"); role != "status" {
		t.Errorf("info alert role %q", role)
	}
}

func TestStepIndicatorMarksWhereThePersonIs(t *testing.T) {
	doc := render(t, components.StepIndicator([]components.Step{
		{Label: "Consent", State: "complete"}, {Label: "Your ID", State: "current"}, {Label: "Your SSN"},
	}))
	if got := doc.Find(`li[aria-current="step"]`).Text(); !strings.Contains(got, "Your ID") {
		t.Errorf("current step %q", got)
	}
	if doc.Find(".usa-step-indicator__segment--complete").Length() != 1 {
		t.Error("the finished step is not marked complete")
	}
	if h := strings.Join(strings.Fields(doc.Find(".usa-step-indicator__heading").Text()), " "); h != "Step 2 of 3 Your ID" {
		t.Errorf("heading %q", h)
	}
}
