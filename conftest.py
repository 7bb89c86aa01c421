pytest_plugins = ["integration_tests.sandbox.pytest_plugin"]
