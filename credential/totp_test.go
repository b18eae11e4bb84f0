package credential

import (
	"bytes"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the SHA-1 key of RFC 6238 appendix B.
var rfcSecret = []byte("12345678901234567890")

// The RFC's SHA-1 vectors are 8 digits; 6-digit codes are their last 6, since
// both are the same 31-bit number modulo a power of ten.
var rfcVectors = []struct {
	unix int64
	code string
}{
	{59, "287082"},          // 94287082
	{1111111109, "081804"},  // 07081804
	{1111111111, "050471"},  // 14050471
	{1234567890, "005924"},  // 89005924
	{2000000000, "279037"},  // 69279037
	{20000000000, "353130"}, // 65353130
}

func TestTOTPRFC6238Vectors(t *testing.T) {
	for _, v := range rfcVectors {
		now := time.Unix(v.unix, 0)
		if got := TOTPCode(rfcSecret, now); got != v.code {
			t.Errorf("TOTPCode at %d = %s, want %s", v.unix, got, v.code)
		}
		step, ok := VerifyTOTP(rfcSecret, v.code, now, 0)
		if !ok || step != v.unix/30 {
			t.Errorf("VerifyTOTP at %d = %d, %v; want %d, true", v.unix, step, ok, v.unix/30)
		}
	}
}

func TestTOTPDrift(t *testing.T) {
	now := time.Unix(1111111111, 0) // step 37037037, 1 s into it
	cur := TOTPStep(now)
	for _, d := range []struct {
		at time.Time
		ok bool
	}{
		{now.Add(-30 * time.Second), true}, // previous step: phone slow or person slow
		{now.Add(30 * time.Second), true},  // next step: phone fast
		{now.Add(-60 * time.Second), false},
		{now.Add(60 * time.Second), false},
		{now.Add(-10 * time.Minute), false},
	} {
		code := TOTPCode(rfcSecret, d.at)
		step, ok := VerifyTOTP(rfcSecret, code, now, 0)
		if ok != d.ok || (ok && step != TOTPStep(d.at)) {
			t.Errorf("code from %v at step offset %d: step %d ok %v, want ok %v",
				d.at.Sub(now), TOTPStep(d.at)-cur, step, ok, d.ok)
		}
	}
	// The step boundary: 29 s into a step and 0 s into the next.
	edge := time.Unix(30*cur+29, 0)
	if s, ok := VerifyTOTP(rfcSecret, TOTPCode(rfcSecret, edge), edge.Add(time.Second), 0); !ok || s != cur {
		t.Errorf("code from the last second of a step, checked a second later: %d %v", s, ok)
	}
}

func TestTOTPOnceOnly(t *testing.T) {
	now := time.Unix(2000000000, 0)
	code := TOTPCode(rfcSecret, now)
	step, ok := VerifyTOTP(rfcSecret, code, now, 0)
	if !ok {
		t.Fatal("first use refused")
	}
	if _, ok := VerifyTOTP(rfcSecret, code, now, step); ok {
		t.Error("the same code was accepted twice")
	}
	if _, ok := VerifyTOTP(rfcSecret, code, now.Add(20*time.Second), step); ok {
		t.Error("the same code was accepted twice within its drift window")
	}
	// An earlier step's code is refused after a later one was used.
	prev := TOTPCode(rfcSecret, now.Add(-30*time.Second))
	if _, ok := VerifyTOTP(rfcSecret, prev, now, step); ok {
		t.Error("an older code was accepted after a newer one")
	}
	// The next step's code still works.
	next := now.Add(30 * time.Second)
	if s, ok := VerifyTOTP(rfcSecret, TOTPCode(rfcSecret, next), next, step); !ok || s != step+1 {
		t.Errorf("next code: %d %v", s, ok)
	}
}

func TestTOTPInput(t *testing.T) {
	now := time.Unix(1234567890, 0) // code 005924
	for _, in := range []string{"005924", "005 924", " 005924 ", "00 59 24", "005\u00a0924", "005\t924\n"} {
		if _, ok := VerifyTOTP(rfcSecret, in, now, 0); !ok {
			t.Errorf("%q refused", in)
		}
	}
	for _, in := range []string{"", "5924", "05924", "0059240", "005-924", "OO5924", "００５９２４", "+05924", "-05924", "005924x", "abcdef"} {
		if _, ok := VerifyTOTP(rfcSecret, in, now, 0); ok {
			t.Errorf("%q accepted", in)
		}
	}
	if _, ok := VerifyTOTP(nil, "005924", now, 0); ok {
		t.Error("empty secret accepted a code")
	}
}

func TestTOTPSecretAndURI(t *testing.T) {
	s1, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := NewTOTPSecret()
	if len(s1) != 20 || bytes.Equal(s1, s2) {
		t.Fatalf("secrets %x and %x: want 20 random bytes", s1, s2)
	}
	if txt := TOTPSecretText(s1); len(txt) != 32 || strings.ContainsAny(txt, "=abcdefghijklmnopqrstuvwxyz") {
		t.Errorf("secret text %q: want 32 upper-case base32 characters", txt)
	}
	if got := TOTPSecretText(rfcSecret); got != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Errorf("TOTPSecretText(rfc) = %s", got)
	}

	uri := TOTPURI("Taxpayer Portal", "jane.doe+tax@example.com", rfcSecret)
	want := "otpauth://totp/Taxpayer%20Portal:jane.doe%2Btax%40example.com" +
		"?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Taxpayer%20Portal&algorithm=SHA1&digits=6&period=30"
	if uri != want {
		t.Errorf("TOTPURI =\n%s\nwant\n%s", uri, want)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Taxpayer Portal:jane.doe+tax@example.com" ||
		q.Get("issuer") != "Taxpayer Portal" || q.Get("secret") != TOTPSecretText(rfcSecret) {
		t.Errorf("parsed URI: %+v %v", u, q)
	}
}

func TestQRCodePNG(t *testing.T) {
	uri := TOTPURI("Taxpayer Portal", "jane.doe@example.com", rfcSecret)
	b, err := QRCodePNG(uri, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != 256 || r.Dy() != 256 {
		t.Errorf("image is %v, want 256x256", r)
	}
	// Black modules and a white quiet zone.
	if r, _, _, _ := img.At(0, 0).RGBA(); r != 0xffff {
		t.Error("corner is not white: no quiet zone")
	}
	for _, bad := range []struct {
		text string
		size int
	}{{"", 256}, {uri, 0}, {uri, -3}, {uri, 5000}, {strings.Repeat("x", 3000), 256}} {
		if _, err := QRCodePNG(bad.text, bad.size); err == nil {
			t.Errorf("QRCodePNG(%d chars, %d) did not fail", len(bad.text), bad.size)
		}
	}
}
