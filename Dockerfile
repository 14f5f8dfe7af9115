FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY rentalops ./rentalops
COPY jobs ./jobs
COPY allocation ./allocation
COPY labor ./labor
COPY sales ./sales
COPY templates ./templates
COPY manage.py ./
RUN pip install --no-cache-dir -e . \
    && DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghij python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "rentalops.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
