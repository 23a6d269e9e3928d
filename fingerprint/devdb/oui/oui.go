// Package oui names the organisation behind a MAC address prefix.
package oui

// Lookup returns the organisation registered for mac's prefix.
func Lookup(mac [6]byte) (string, bool) { return "", false }
