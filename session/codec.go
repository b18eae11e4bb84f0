package session

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gorilla/securecookie"
)

// The session's values are stored in a small binary format of their own.
// gob, which rows written by earlier builds hold and which is still read,
// compiles a decoder for the map's types on every load: on a signed-in page
// that cost more than the query that fetched the row.
//
// The format: the three bytes of codecMagic, then for each value its key
// (a string), a tag byte naming its type, and the value. Strings and byte
// slices are a uvarint length and the bytes; integers are varints. Session
// values are only the types below; any other is refused when saving, so a
// new kind of value shows up in the tests, not in production.
var codecMagic = []byte{0, 'S', '1'} // gob never starts with a zero byte

const (
	tagString = 's'
	tagBytes  = 'b'
	tagTrue   = 't'
	tagFalse  = 'f'
	tagInt    = 'i'
	tagInt64  = 'I'
	tagUint64 = 'u'
)

var errCorrupt = errors.New("session: stored values are corrupt")

// encodeValues writes values in the session format.
func encodeValues(values map[any]any) ([]byte, error) {
	b := append(make([]byte, 0, 128), codecMagic...)
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("session: key %v is a %T, not a string", k, k)
		}
		b = appendString(b, key)
		switch v := v.(type) {
		case string:
			b = appendString(append(b, tagString), v)
		case []byte:
			b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
			b = append(b, v...)
		case bool:
			if v {
				b = append(b, tagTrue)
			} else {
				b = append(b, tagFalse)
			}
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(v))
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), v)
		case uint64:
			b = binary.AppendUvarint(append(b, tagUint64), v)
		default:
			return nil, fmt.Errorf("session: value of %q is a %T, which sessions do not store", key, v)
		}
	}
	return b, nil
}

// decodeValues reads values written by encodeValues, or by gob.
func decodeValues(data []byte, values map[any]any) error {
	if len(data) < len(codecMagic) || string(data[:len(codecMagic)]) != string(codecMagic) {
		return securecookie.GobEncoder{}.Deserialize(data, &values)
	}
	r := reader(data[len(codecMagic):])
	for len(r) > 0 {
		key, err := r.bytes()
		if err != nil {
			return err
		}
		tag, err := r.byte()
		if err != nil {
			return err
		}
		var v any
		switch tag {
		case tagString:
			b, err := r.bytes()
			if err != nil {
				return err
			}
			v = string(b)
		case tagBytes:
			b, err := r.bytes()
			if err != nil {
				return err
			}
			v = append([]byte(nil), b...)
		case tagTrue, tagFalse:
			v = tag == tagTrue
		case tagInt, tagInt64:
			n, err := r.varint()
			if err != nil {
				return err
			}
			if v = n; tag == tagInt {
				v = int(n)
			}
		case tagUint64:
			n, err := r.uvarint()
			if err != nil {
				return err
			}
			v = n
		default:
			return errCorrupt
		}
		values[string(key)] = v
	}
	return nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// reader consumes the encoded values from the front.
type reader []byte

func (r *reader) byte() (byte, error) {
	if len(*r) == 0 {
		return 0, errCorrupt
	}
	b := (*r)[0]
	*r = (*r)[1:]
	return b, nil
}

func (r *reader) uvarint() (uint64, error) {
	n, size := binary.Uvarint(*r)
	if size <= 0 {
		return 0, errCorrupt
	}
	*r = (*r)[size:]
	return n, nil
}

func (r *reader) varint() (int64, error) {
	n, size := binary.Varint(*r)
	if size <= 0 {
		return 0, errCorrupt
	}
	*r = (*r)[size:]
	return n, nil
}

func (r *reader) bytes() ([]byte, error) {
	n, err := r.uvarint()
	if err != nil || n > uint64(len(*r)) {
		return nil, errCorrupt
	}
	b := (*r)[:n]
	*r = (*r)[n:]
	return b, nil
}
