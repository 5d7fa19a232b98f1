module github.com/localbench/localbench/peers

go 1.26.0

replace github.com/localbench/localbench => ../

require (
	github.com/localbench/localbench v0.0.0-00010101000000-000000000000
	github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261
	github.com/timandy/routine v1.1.6
)

require (
	github.com/gopherjs/gopherjs v1.21.0 // indirect
	github.com/jtolds/gls v4.20.0+incompatible // indirect
)
