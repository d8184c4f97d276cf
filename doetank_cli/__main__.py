from doetank_cli.entry import main

main()
