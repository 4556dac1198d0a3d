# The two commands a newcomer needs: `make run` and `make test`.
# Everything else (build, bench, clean) is here too.

BUILD_DIR  ?= build
DATA_DIR   ?= var/demo
DEMO_COUNT ?= 200000
DEMO_SEED  ?= 20250701
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps build run demo test bench clean

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja $(BUILD_DIR)/Makefile:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/Makefile
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@if [ ! -f $(DATA_DIR)/register.db ]; then \
	  echo "creating a demo register of $(DEMO_COUNT) synthetic citizens in $(DATA_DIR)"; \
	  $(BUILD_DIR)/dancu generate --data $(DATA_DIR) --count $(DEMO_COUNT) --seed $(DEMO_SEED); \
	fi

run: demo
	@bash scripts/run-demo.sh $(BUILD_DIR)/dancu $(DATA_DIR) $(LISTEN)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	bash bench/run-all.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
