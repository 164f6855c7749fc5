package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"4GB", 4 << 30, true},
		{"4G", 4 << 30, true},
		{"512MB", 512 << 20, true},
		{"512MiB", 512 << 20, true},
		{"1.5GB", 3 << 29, true},
		{"2T", 2 << 40, true},
		{"1073741824", 1 << 30, true},
		{"10MB", 0, false}, // too little
		{"lots", 0, false},
		{"4XB", 0, false},
		{"-1GB", 0, false},
	} {
		got, err := memoryLimit(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("memoryLimit(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got, err := memoryLimit(""); err != nil || got < 64<<20 {
		t.Errorf("memoryLimit(\"\") = %d, %v; want a quarter of the machine", got, err)
	}
}
