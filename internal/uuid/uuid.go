// Package uuid formats version 4 UUIDs for the client's invocation IDs and
// the fake server's request IDs and generated session IDs.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
)

// New returns a random version 4 UUID.
func New() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails (Go 1.24+)
	return Format(u)
}

// Format sets the version 4 and RFC 4122 variant bits of u and formats it
// as xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx.
func Format(u [16]byte) string {
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
