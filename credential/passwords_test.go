package credential

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func problemIDs(ps []Problem) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}

func defaultPolicy(t testing.TB) PasswordPolicy {
	t.Helper()
	p, err := DefaultPasswordPolicy()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheck(t *testing.T) {
	p := defaultPolicy(t)
	ctx := []string{"Jane.Doe+tax@Example.com", "Taxpayer Portal", "IRS"}
	tests := []struct {
		pw   string
		want []string
	}{
		{"", []string{ProblemTooShort}},
		{"short pass", []string{ProblemTooShort}},
		{"elevenchars", []string{ProblemTooShort}},
		{"twelve chars", nil},
		{"purple ocean typewriter", nil},
		{"   leading and trailing spaces   ", nil},
		{"Hunde, Katzen und Mäuse", nil},
		{"日本語のパスフレーズです", nil}, // 12 code points, 36 bytes
		{"🐙🦑🐳🐬🦈🐟🐠🐡🦞🦀🦐🐚", nil},
		{"\u00e9" + strings.Repeat("x", 10), []string{ProblemTooShort}}, // 11 either way
		// 11 code points once NFC joins e + U+0301 into é.
		{"cafe\u0301 au lai", []string{ProblemTooShort}},
		{strings.Repeat("ab", 64), nil},                                    // 128: the maximum
		{strings.Repeat("ab", 64) + "c", []string{ProblemTooLong}},         // 129
		{strings.Repeat("é", 128), []string{ProblemRepeated}},              // 256 bytes, 128 code points
		{"qwertyqwerty", []string{ProblemCommon}},                          // on the list
		{"1QAZ2WSX3EDC", []string{ProblemCommon}},                          // case ignored
		{"Password2024!", []string{ProblemCommon}},                         // stem "password"
		{"password", []string{ProblemTooShort, ProblemCommon}},             // both said at once
		{"aaaaaaaaaaaa", []string{ProblemCommon, ProblemRepeated}},         // also on the list
		{"ZzzzZzzzZzzzZzzz", []string{ProblemRepeated}},                    // case ignored
		{"            ", []string{ProblemRepeated}},                        // spaces only
		{"jane.doe is my password", []string{ProblemContainsContext}},      // local part
		{"JaneDoe is my password", []string{ProblemContainsContext}},       // squashed local part
		{"my jane.doe+tax@example.com!", []string{ProblemContainsContext}}, // whole address
		{"my taxpayer portal login", []string{ProblemContainsContext}},     // product name
		{"Taxpayer-Portal-Rocks", []string{ProblemContainsContext}},        // squashed product name
		{"first thirsty sirs here", nil},                                   // "irs" is under 4 chars
		{"a sport alone in the rain", nil},                                 // squashing only what had separators
		{"jane austen wrote novels", nil},                                  // a first name alone is not a context word
	}
	for _, tt := range tests {
		got := problemIDs(p.Check(tt.pw, ctx))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Check(%q) = %v, want %v", tt.pw, got, tt.want)
		}
	}
}

func TestCheckMessagesAndSettings(t *testing.T) {
	ps := PasswordPolicy{}.Check("short", nil) // zero policy: defaults, no list
	if len(ps) != 1 || ps[0].Message != "Use at least 12 characters. A short sentence you can remember works well." {
		t.Errorf("zero policy: %+v", ps)
	}
	p := PasswordPolicy{MinLength: 8, MaxLength: 10}
	if got := problemIDs(p.Check("eight ch", nil)); got != nil {
		t.Errorf("MinLength 8: %v", got)
	}
	ps = p.Check("eleven char", nil)
	if len(ps) != 1 || ps[0].ID != ProblemTooLong || ps[0].Message != "Use 10 characters or fewer." {
		t.Errorf("MaxLength 10: %+v", ps)
	}
	for _, pr := range defaultPolicy(t).Check("Password", []string{"password"}) {
		if pr.Message == "" || !strings.HasSuffix(pr.Message, ".") {
			t.Errorf("%s: message %q", pr.ID, pr.Message)
		}
	}
}

// fastParams keep hashing tests quick; the defaults are measured in benchmarks.
var fastParams = Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	enc, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") || len(strings.Split(enc, "$")[4]) != 22 {
		t.Errorf("hash %q: want the default PHC prefix and a 16-byte salt", enc)
	}
	if ok, rehash, err := VerifyPassword(enc, "correct horse battery staple"); !ok || rehash || err != nil {
		t.Errorf("right password: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", "correct horse battery staple "} {
		if ok, rehash, err := VerifyPassword(enc, wrong); ok || rehash || err != nil {
			t.Errorf("wrong password %q: ok=%v rehash=%v err=%v", wrong, ok, rehash, err)
		}
	}
	again, _ := HashPassword("correct horse battery staple")
	if again == enc {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyNormalisesAndRehashes(t *testing.T) {
	enc, err := fastParams.Hash("cafe\u0301 crème brûlée") // decomposed é
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := fastParams.Verify(enc, "café crème brûlée"); !ok { // composed é
		t.Error("NFC and NFD spellings of one password should match")
	}
	ok, rehash, err := DefaultArgon2Params().Verify(enc, "café crème brûlée")
	if !ok || !rehash || err != nil {
		t.Errorf("weaker stored settings: ok=%v rehash=%v err=%v, want a rehash", ok, rehash, err)
	}
	if _, rehash, _ := DefaultArgon2Params().Verify(enc, "wrong"); rehash {
		t.Error("needsRehash must be false for a wrong password")
	}
}

func TestVerifyRejectsMalformed(t *testing.T) {
	good, _ := fastParams.Hash("pw")
	parts := strings.Split(good, "$")
	bad := []string{
		"",
		"plaintext",
		"$2a$10$abcdefghijklmnopqrstuu5Jw9wQ3w8q1W1bqQ0JmXG6dYwq3q9Xa", // bcrypt
		strings.Replace(good, "argon2id", "argon2i", 1),
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Replace(good, "m=64", "m=064", 1),
		strings.Replace(good, "m=64,t=1", "t=1,m=64", 1),
		strings.Replace(good, "m=64", "m=4294967295", 1),               // 4 TiB
		strings.Replace(good, "t=1", "t=100000", 1),                    // minutes
		strings.Replace(good, "p=1", "p=0", 1),                         // argon2 panics on 0 threads
		strings.Replace(good, "p=1", "p=256", 1),                       // overflows uint8
		strings.Join(append(parts[:4:4], parts[4]+"=", parts[5]), "$"), // padded
		strings.Join(append(parts[:4:4], "c2FsdA", parts[5]), "$"),     // 4-byte salt
		strings.Join(append(parts[:4:4], parts[4], "aGFzaA"), "$"),     // 4-byte hash
		strings.Join(append(parts[:4:4], parts[4], "!!!"), "$"),
		good + "$",
	}
	for _, enc := range bad {
		ok, rehash, err := fastParams.Verify(enc, "pw")
		if ok || rehash || !errors.Is(err, ErrBadHash) {
			t.Errorf("Verify(%q) = %v, %v, %v; want ErrBadHash", enc, ok, rehash, err)
		}
	}
	if _, err := (Argon2Params{}).Hash("pw"); err == nil {
		t.Error("zero Argon2Params should be refused")
	}
}

// TestDummyVerifyTakesAsLong guards against timing that tells unknown e-mail
// addresses from wrong passwords. The bounds are loose because other tests
// share the machine; what it catches is a dummy that skips the hashing or
// hashes with other settings.
// DummyVerify must cost what checking a real password costs, so that an
// unknown address cannot be told from a wrong password by timing. The cost
// of argon2id is set by its parameters alone: the dummy hash must carry
// exactly those of a real one (compared, not timed, so load cannot make
// this test fail).
func TestDummyVerifyDoesTheSameWork(t *testing.T) {
	enc, err := HashPassword("a real password here")
	if err != nil {
		t.Fatal(err)
	}
	real, realSalt, realKey, err := decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	dummy, dummySalt, dummyKey, err := decode(DefaultArgon2Params().dummyHash())
	if err != nil {
		t.Fatal(err)
	}
	if real != dummy || len(realSalt) != len(dummySalt) || len(realKey) != len(dummyKey) {
		t.Errorf("dummy hash %+v (salt %d, key %d bytes), real %+v (salt %d, key %d bytes)",
			dummy, len(dummySalt), len(dummyKey), real, len(realSalt), len(realKey))
	}
	if ok, _, _ := DefaultArgon2Params().Verify(DefaultArgon2Params().dummyHash(), "a real password here"); ok {
		t.Error("the dummy hash matched a password")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	enc, _ := HashPassword("correct horse battery staple")
	for b.Loop() {
		VerifyPassword(enc, "correct horse battery staple")
	}
}
