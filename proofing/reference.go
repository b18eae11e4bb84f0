package proofing

// An in-person reference code: 12 characters shown as XXXX-XXXX-XXXX, printed
// with a barcode for the office to scan. It finds the attempt; it proves
// nothing by itself, as the office checks the person's documents.
const (
	referenceLen   = 12
	referenceGroup = 4
)

// NewReferenceCode returns a fresh reference code, as stored and printed.
func NewReferenceCode() string { return randomCode(referenceLen, referenceGroup) }

// NormalizeReferenceCode turns what an agent typed or scanned into the
// stored form ("H7KD-3MQP-X9TR"), or "" when it cannot be a code.
func NormalizeReferenceCode(input string) string {
	s := normalizeCode(input, referenceLen)
	if s == "" {
		return ""
	}
	return s[:4] + "-" + s[4:8] + "-" + s[8:]
}
