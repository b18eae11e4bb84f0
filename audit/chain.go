package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"

	"github.com/taxportal/portal/models"
)

// Genesis is the PrevHash of the first entry: 64 zeros.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// hashLabel starts every encoding, so a hash of an audit entry can never be
// mistaken for a hash of anything else, and a future encoding can differ.
const hashLabel = "taxportal audit entry v1"

// hashOf is the hex SHA-256 of an entry's canonical encoding, which anyone
// can recompute from a copy of the table: hashLabel, then PrevHash, ID, At,
// ActorAccountID, ActorRole, ActorNumber, Action, TaxpayerID, AccountID,
// Subject, Outcome, Reason and Detail, where
//
//   - a number is 8 bytes, big-endian (At as Unix microseconds),
//   - a text is its length in bytes as a number, then its UTF-8 bytes,
//   - an optional number is the byte 0 when absent, else 1 and the number.
//
// Lengths make field boundaries explicit, so no two different entries
// encode alike, and whole microseconds are what both databases keep,
// whatever zone a driver reads the time back in.
func hashOf(e *models.AuditEntry) string {
	enc := encoder{h: sha256.New()}
	enc.text(hashLabel)
	enc.text(e.PrevHash)
	enc.number(e.ID)
	enc.number(uint64(e.At.UnixMicro()))
	enc.optional(e.ActorAccountID)
	enc.text(string(e.ActorRole))
	enc.text(e.ActorNumber)
	enc.text(e.Action)
	enc.optional(e.TaxpayerID)
	enc.optional(e.AccountID)
	enc.text(e.Subject)
	enc.text(e.Outcome)
	enc.text(e.Reason)
	enc.text(e.Detail)
	return hex.EncodeToString(enc.h.Sum(nil))
}

// encoder writes fields straight into a hash.
type encoder struct {
	h   hash.Hash
	buf [8]byte
}

// number writes eight bytes, big-endian.
func (e *encoder) number(v uint64) {
	e.h.Write(binary.BigEndian.AppendUint64(e.buf[:0], v))
}

// text writes the length in bytes, then the bytes.
func (e *encoder) text(s string) {
	e.number(uint64(len(s)))
	io.WriteString(e.h, s)
}

// optional writes a 0 for nil, or a 1 and the number, so nil and 0 differ.
func (e *encoder) optional(p *uint64) {
	if p == nil {
		e.h.Write([]byte{0})
		return
	}
	e.h.Write([]byte{1})
	e.number(*p)
}
