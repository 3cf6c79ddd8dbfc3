FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY jobs ./jobs
RUN pip install --no-cache-dir . && useradd --create-home newsbot && mkdir -p /data && chown newsbot /data
USER newsbot
ENV NEWSBOT_DATA_DIR=/data
EXPOSE 9464
ENTRYPOINT ["newsbot"]
CMD ["run"]
