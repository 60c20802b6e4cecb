print("relops")
