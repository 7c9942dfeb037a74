FROM python:3
RUN <<'EOF' | python
print("$NOT_EXPANDED")
EOF
RUN echo after
