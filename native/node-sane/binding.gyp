{
  # node-sane: N-API binding for libsane. Built by scripts/install.cjs (which skips the build when
  # libsane's headers are missing) and rebuildable for Electron with @electron/rebuild: the addon
  # uses only Node-API (NAPI_VERSION 8), so one build serves every runtime that has Node-API 8,
  # and @electron/rebuild's node-gyp run against Electron's headers works unchanged.
  "targets": [
    {
      "target_name": "node_sane",
      "sources": [
        "src/module.cc",
        "src/device.cc",
        "src/device-options.cc",
        "src/device-scan.cc",
        "src/promise-worker.cc",
        "src/option-values.cc",
        "src/names.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      # Hidden by default: the sources share symbols across files (namespace node_sane), and only
      # the N-API entry point (marked visible by node-addon-api) needs to leave the module.
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fvisibility=hidden"],
      "conditions": [
        ["OS=='linux' or OS=='freebsd' or OS=='openbsd'", {
          "libraries": ["-lsane"]
        }],
        ["OS=='mac'", {
          "include_dirs": ["/opt/homebrew/include", "/usr/local/include"],
          "libraries": ["-L/opt/homebrew/lib", "-L/usr/local/lib", "-lsane"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }]
      ]
    }
  ],
  "conditions": [
    ["OS=='linux'", {
      "targets": [
        {
          # Preloaded into the scanner worker: backends' reader threads are cancelled at a
          # cancellation point, never inside malloc (see src/deferred-cancel.c). node-gyp names
          # every loadable module *.node; this one is a plain shared object, never require()d.
          "target_name": "sane_deferred_cancel",
          "type": "loadable_module",
          "sources": ["src/deferred-cancel.c"],
          "cflags": ["-Wall", "-Wextra"],
          "libraries": ["-ldl"]
        }
      ]
    }]
  ]
}
