// Package cmdline makes a urfave/cli app read its command line the way
// kgmem promises its users: flags anywhere (after the arguments too, and
// the app's global flags after the command), flags that may be repeated
// (ListFlag), and defaults from a config file of "name = value" lines
// (ApplyConfig).
package cmdline
