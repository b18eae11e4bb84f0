// Package forms holds what every form shares: field errors in the order the
// fields appear, and the description of one input for the components.
package forms

import (
	"strconv"

	"github.com/a-h/templ"
)

// FieldError is one problem with one field. Field is the input's id, so the
// error summary can link to it.
type FieldError struct {
	Field   string
	Message string
}

// Errors keeps field errors in the order they were added (the order of the
// fields on the page), with at most one message per field.
type Errors struct {
	list []FieldError
}

// Add records a message for a field unless it already has one.
func (e *Errors) Add(field, message string) {
	if e.Get(field) == "" {
		e.list = append(e.list, FieldError{field, message})
	}
}

// Get returns the field's message, or "".
func (e Errors) Get(field string) string {
	for _, fe := range e.list {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Any reports whether there is at least one error.
func (e Errors) Any() bool { return len(e.list) > 0 }

// Count is the number of fields with errors.
func (e Errors) Count() int { return len(e.list) }

// CountText is the count in words for small numbers, as people read them.
func (e Errors) CountText() string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if n := len(e.list); n < len(words) {
		return words[n]
	}
	return strconv.Itoa(len(e.list))
}

// List returns the errors in field order.
func (e Errors) List() []FieldError { return e.list }

// Field describes one input for the TextInput component.
type Field struct {
	ID, Name, Label, Hint string
	Value                 string // echoed back after a failed submit; never a secret
	Error                 string
	Type                  string // text when empty
	Autocomplete          string
	InputMode             string
	Class                 string // extra classes, e.g. usa-input--md
	Optional              bool
	Attrs                 templ.Attributes
}

// InputType is the type attribute, text by default.
func (f Field) InputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// DescribedBy joins the hint and error ids for aria-describedby.
func (f Field) DescribedBy() string {
	ids := ""
	if f.Hint != "" {
		ids = f.ID + "-hint"
	}
	if f.Error != "" {
		if ids != "" {
			ids += " "
		}
		ids += f.ID + "-error"
	}
	return ids
}
