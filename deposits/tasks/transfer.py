from celery import shared_task


@shared_task(name="deposits.transfer_in_advance", ignore_result=True, acks_late=True)
def transfer_in_advance(transfer_id: int) -> str:
    from ..services.transfer import transfer_in_advance as advance

    return advance(transfer_id=transfer_id).status


@shared_task(name="deposits.poll_transfers", ignore_result=True)
def poll_transfers() -> int:
    """Ask the platform about every open transfer-in (beat, every few minutes)."""
    from ..models import CrossRegionTransfer, TransferDirection

    open_ids = list(
        CrossRegionTransfer.objects.filter(direction=TransferDirection.IN, finished_at__isnull=True)
        .values_list("pk", flat=True)[:1000]
    )
    for transfer_id in open_ids:
        transfer_in_advance.delay(transfer_id)
    return len(open_ids)


@shared_task(name="deposits.transfer_out_advance", ignore_result=True, acks_late=True)
def transfer_out_advance(transfer_id: int) -> str:
    """What is left of a transfer out on a platform letter: reply, 划款, report the funds."""
    from ..services.transfer import transfer_out_advance as advance

    return advance(transfer_id=transfer_id).status


@shared_task(name="deposits.transfer_out_sync", ignore_result=True)
def transfer_out_sync() -> dict[str, int]:
    """Beat, every few minutes: fetch the letters other centres sent us, and finish open transfers out."""
    from ..services.transfer import transfer_out_sync as sync

    return sync()
