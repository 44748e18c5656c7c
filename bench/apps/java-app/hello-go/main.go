// hello-go: a module-mode Go program with one dependency (golang.org/x/text, vendored from
// Debian's golang-golang-x-text-dev sources), so its build info has "mod" and "dep" lines.
package main

import (
	"fmt"
	"os"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

func main() {
	name := "container image"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Println(cases.Title(language.English).String("hello, " + name))
}
