//go:build !unix

package tmx

import "time"

func cpuTime() time.Duration { return 0 }
