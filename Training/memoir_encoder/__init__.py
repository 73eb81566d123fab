"""PyTorch reference of Memoir's fused case encoder (MEMOIR-VLM sections 03-05) and its trainer."""
