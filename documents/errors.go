package documents

import (
	"errors"
	"fmt"
)

// Code is the stable id of a refusal. The HTTP side maps it to a message in
// the catalogue, so the wording lives in one place and can be translated.
type Code string

const (
	CodeEmpty           Code = "document.empty"
	CodeTooLarge        Code = "document.too_large"
	CodeNotAnImage      Code = "document.not_an_image"
	CodeHEIC            Code = "document.heic"
	CodeUnsupportedType Code = "document.unsupported_type"
	CodeTruncated       Code = "document.truncated"
	CodeCannotDecode    Code = "document.cannot_decode"
	CodeTooSmall        Code = "document.too_small"
	CodeTooManyPixels   Code = "document.too_many_pixels"
	CodeSameAsFront     Code = "document.same_as_front"
	CodeSameAsBack      Code = "document.same_as_back"
	CodeSameAsSelfie    Code = "document.same_as_selfie"
)

// Error is why an upload was refused. Compare with errors.Is against the
// Err values (only the Code is compared); read the details with errors.As.
type Error struct {
	Code   Code
	Format Format // what the file really is, when known (HEIC, GIF, PDF, text…)

	Size, Limit int64 // CodeTooLarge: the file's bytes and the most allowed

	Width, Height       int // CodeTooSmall, CodeTooManyPixels: the image's pixels
	MinWidth, MinHeight int // CodeTooSmall: the smallest allowed, in either orientation
	MaxPixels           int // CodeTooManyPixels

	Err error // the decoder's own error, for logs only
}

// The refusals. Each is a pattern for errors.Is; the error returned carries
// the details.
var (
	ErrEmpty           = &Error{Code: CodeEmpty}
	ErrTooLarge        = &Error{Code: CodeTooLarge}
	ErrNotAnImage      = &Error{Code: CodeNotAnImage}
	ErrHEIC            = &Error{Code: CodeHEIC}
	ErrUnsupportedType = &Error{Code: CodeUnsupportedType}
	ErrTruncated       = &Error{Code: CodeTruncated}
	ErrCannotDecode    = &Error{Code: CodeCannotDecode}
	ErrTooSmall        = &Error{Code: CodeTooSmall}
	ErrTooManyPixels   = &Error{Code: CodeTooManyPixels}
	ErrSameAsFront     = &Error{Code: CodeSameAsFront}
	ErrSameAsBack      = &Error{Code: CodeSameAsBack}
	ErrSameAsSelfie    = &Error{Code: CodeSameAsSelfie}
)

// Error describes the refusal for logs; people see the catalogue's words.
func (e *Error) Error() string {
	var s string
	switch e.Code {
	case CodeEmpty:
		s = "the file is empty"
	case CodeTooLarge:
		s = fmt.Sprintf("the file has %d bytes; at most %d are allowed", e.Size, e.Limit)
	case CodeNotAnImage:
		s = "the file is not an image"
	case CodeHEIC:
		s = "HEIC photos cannot be read; choose \"Most compatible\" in the iPhone's camera settings (Settings > Camera > Formats) or send a JPEG"
	case CodeUnsupportedType:
		s = "this kind of image is not accepted; send a JPEG, PNG or WebP"
	case CodeTruncated:
		s = "the image is cut short; the upload may have been interrupted"
	case CodeCannotDecode:
		s = "the image is damaged and cannot be read"
	case CodeTooSmall:
		s = fmt.Sprintf("the image is %d×%d pixels; at least %d×%d are needed", e.Width, e.Height, e.MinWidth, e.MinHeight)
	case CodeTooManyPixels:
		s = fmt.Sprintf("the image is %d×%d pixels; at most %d pixels are allowed", e.Width, e.Height, e.MaxPixels)
	case CodeSameAsFront:
		s = "this is the same picture as the front of the ID"
	case CodeSameAsBack:
		s = "this is the same picture as the back of the ID"
	case CodeSameAsSelfie:
		s = "this is the same picture as the selfie"
	default:
		s = string(e.Code)
	}
	if e.Format != "" {
		s = string(e.Format) + ": " + s
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return "documents: " + s
}

// Is matches any Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Unwrap gives the decoder's error.
func (e *Error) Unwrap() error { return e.Err }

// CodeOf returns the refusal's Code, or "" when err is not a refusal (a
// database failure, say, which is the portal's fault and not the person's).
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Errors of the store and the verifier: the caller's mistakes, not the person's.
var (
	ErrNotFound       = errors.New("documents: no such image")
	ErrNoVerification = errors.New("documents: no such identity verification")
	ErrUnknownSide    = errors.New("documents: unknown document side")
)
