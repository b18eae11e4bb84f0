package ippin

import (
	"time"

	"github.com/taxportal/portal/credential"
)

// Settings are the numbers of the program that are a matter of policy.
type Settings struct {
	// Guessing is how many wrong PINs the e-file check takes for one SSN
	// in a window; while that many are in the window, checks for the SSN
	// are refused.
	Guessing credential.Limit
	// AlertQuiet is how long after an e-mailed alert further stopped
	// returns for the same taxpayer are only recorded, so a burst of them
	// sends one message.
	AlertQuiet time.Duration
	// KeyTouchEvery is how often, at most, an API key's last use is written.
	KeyTouchEvery time.Duration
	// RolloverBatch is how many enrollees one rollover transaction takes
	// when the caller does not say.
	RolloverBatch int
	// APIRate is how many e-file checks one API key may ask for in a
	// window, counted across every instance of the portal.
	APIRate credential.Limit
}

// DefaultSettings returns the program's defaults: 5 wrong PINs per SSN in
// 24 hours, one alert e-mail an hour, key use written once a minute, and
// rollover batches of 5,000, and 600 checks a minute per API key.
func DefaultSettings() Settings {
	return Settings{
		Guessing:      credential.Limit{Max: 5, Window: 24 * time.Hour},
		AlertQuiet:    time.Hour,
		KeyTouchEvery: time.Minute,
		RolloverBatch: 5000,
		APIRate:       credential.Limit{Max: 600, Window: time.Minute},
	}
}
