package lineio

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestEach(t *testing.T) {
	var got []string
	err := Each(context.Background(), strings.NewReader("a\r\nb\n\nc"), 2, func(lines []string) error {
		if len(lines) == 0 || len(lines) > 2 {
			t.Errorf("a batch of %d lines", len(lines))
		}
		got = append(got, lines...)
		return nil
	})
	if err != nil || strings.Join(got, "|") != "a|b||c" {
		t.Errorf("Each = %q, %v", got, err)
	}
	err = Each(context.Background(), strings.NewReader("fine\nbad \xff\n"), 8, func([]string) error { return nil })
	var nu *NotUTF8Error
	if !errors.As(err, &nu) || nu.What != "stdin, line 2" || nu.Offset != 4 {
		t.Errorf("Each of bad UTF-8 = %v", err)
	}
	if err := CheckArgs([]string{"ok", "b\xffd"}); !errors.As(err, &nu) || nu.What != "argument 2" || nu.Offset != 1 {
		t.Errorf("CheckArgs = %v", err)
	}
}

// TestEachAnswersAtOnce checks that a line is handed over while the
// stream stays open, and that cancelling ends the wait for more.
func TestEachAnswersAtOnce(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Each(ctx, r, 100, func(lines []string) error { got <- lines[0]; return nil })
	}()
	io.WriteString(w, "hello\n")
	select {
	case l := <-got:
		if l != "hello" {
			t.Errorf("line %q", l)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a line written alone was not handed over")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Each after cancel = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Each did not return when cancelled")
	}
}

func TestEachLine(t *testing.T) {
	tests := []struct {
		in     string
		around bool
		want   string // line(prev,next) for each call
	}{
		{"a\nb\nc\n", false, "a(,) b(,) c(,)"},
		{"a\nb\nc\n", true, "a(,b) b(a,c) c(b,)"},
		{"only", true, "only(,)"},
		{"", true, ""},
		{"a\n\nb", true, "a(,) (a,b) b(,)"},
	}
	for _, tt := range tests {
		for _, n := range []int{1, 2, 256} {
			var got []string
			err := EachLine(context.Background(), strings.NewReader(tt.in), n, tt.around, func(line, prev, next string) error {
				got = append(got, line+"("+prev+","+next+")")
				return nil
			})
			if err != nil || strings.Join(got, " ") != tt.want {
				t.Errorf("EachLine(%q, %d, %v) calls %q, %v; want %q", tt.in, n, tt.around, strings.Join(got, " "), err, tt.want)
			}
		}
	}
	stop := errors.New("stop")
	if err := EachLine(context.Background(), strings.NewReader("a\nb\n"), 2, true, func(string, string, string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachLine with fn failing = %v, want its error", err)
	}
}
