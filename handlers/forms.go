package handlers

import (
	"errors"
	"net/http"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/views/forms"
)

// fieldErrors turns what the accounts service found wrong into the form's
// errors, with wording from the message catalogue.
func fieldErrors(err error) (forms.Errors, bool) {
	var in accounts.InputErrors
	if !errors.As(err, &in) {
		return forms.Errors{}, false
	}
	var errs forms.Errors
	for _, fe := range in {
		text := fe.Text
		if text == "" {
			text = messages.Get(fe.Message).Body
		}
		errs.Add(fe.Field, text)
	}
	return errs, true
}

// fieldError is a single field's error.
func fieldError(field string, id messages.ID) forms.Errors {
	var errs forms.Errors
	errs.Add(field, messages.Get(id).Body)
	return errs
}

// invalid is the status of a form sent back to be corrected.
const invalid = http.StatusUnprocessableEntity
