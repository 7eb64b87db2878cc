from hub.cli import run

run()
