// Package containertest tests the fakeprovider image against a real Docker
// daemon, through the docker CLI only (the module has no Docker
// dependency): it builds the image with `make docker` under BuildKit and
// the classic builder, then runs it the ways users do — plain, with a data
// volume, as the docker compose example, with the examples' tests against
// it (webhooks included).
//
// Without a reachable daemon the tests skip, unless
// FAKEPROVIDER_REQUIRE_DOCKER=1 (CI) makes them fail. Everything they make
// (images, containers, volumes, networks) is named fpct-… and removed.
package containertest
