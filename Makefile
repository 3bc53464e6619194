# SmallPay — the two commands a newcomer needs:
#   make run    the whole stack locally (moto, local HTTP API, SPA) with a demo account
#   make test   every test
.PHONY: run test build bench invoke

run:
	./scripts/run.sh

test:
	./scripts/test.sh

build:
	dotnet build SmallPay.sln -c Release

# make bench: the benchmarks of docs/BENCHMARKS.md (installs hey and the Node peers; takes several minutes)
bench:
	./bench/run.sh

# make invoke FN=GetInvoice EVENT=events/get-invoice.json  (mirrors `sam local invoke FN -e EVENT`)
invoke:
	./scripts/invoke.sh $(FN) $(EVENT)
