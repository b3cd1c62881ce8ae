"""The pull API of final results for systems that cannot consume Kafka."""
