from doetank_cli.cli import main

main()
