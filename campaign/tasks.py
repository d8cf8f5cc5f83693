from celery import shared_task

from campaign import services


@shared_task(name="campaign.tasks.revoke_expired_grants")
def revoke_expired_grants() -> int:
    return services.revoke_expired_grants()
